package dev.tally.ingest;

import dev.tally.config.IngestProperties;
import dev.tally.config.ProcessingProperties;
import dev.tally.processing.Channel;
import dev.tally.processing.GroupCommitter;
import dev.tally.processing.Outcome;
import dev.tally.processing.RecordCounter;
import dev.tally.record.RecordJson;
import dev.tally.record.TallyRecord;
import dev.tally.record.Validation;
import dev.tally.security.SourceGrant;
import dev.tally.store.RecordStore;
import dev.tally.web.EdgeProblems;
import dev.tally.web.InvalidField;
import dev.tally.web.ProblemType;
import dev.tally.web.Problems;
import dev.tally.web.api.ApiExamples;
import dev.tally.web.api.ApiSchemas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * HTTP ingest (SPEC §4): one record, a JSON-array batch, or an NDJSON stream. Bodies are read
 * with the streaming parser and validated here; valid records go to the {@link GroupCommitter},
 * and the answer is sent only after their transaction committed. A valid record whose sourceId the
 * caller's {@link SourceGrant} does not permit is refused here ({@code 403}, or {@code forbidden} in a
 * batch) and never submitted.
 */
@RestController
@RequestMapping("/v1/records")
@Tag(name = "records", description = "Ingest records (exactly once by recordId) and read them back")
class RecordController {

    private static final String NDJSON_VALUE = "application/x-ndjson";
    private static final String JSONL_VALUE = "application/jsonl";
    private static final String X_JSONLINES_VALUE = "application/x-jsonlines";
    private static final MediaType NDJSON = MediaType.parseMediaType(NDJSON_VALUE);

    private final GroupCommitter committer;
    private final RecordCounter counter;
    private final RecordStore records;
    private final IngestProperties ingest;
    private final ProcessingProperties processing;

    RecordController(
            GroupCommitter committer,
            RecordCounter counter,
            RecordStore records,
            IngestProperties ingest,
            ProcessingProperties processing) {
        this.committer = committer;
        this.counter = counter;
        this.records = records;
        this.ingest = ingest;
        this.processing = processing;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Ingest one record",
            description = "Answers after the record's unit of work committed: 201 accepted, 200 duplicate (same"
                    + " content, no effect), 409 conflict (other content; the stored record is unchanged), 400"
                    + " invalid (every broken rule named).",
            requestBody =
                    @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = ApiSchemas.RecordInput.class),
                                            examples = {
                                                @ExampleObject(name = ApiExamples.ACCEPTED, value = ApiExamples.RECORD),
                                                @ExampleObject(
                                                        name = ApiExamples.DUPLICATE,
                                                        summary = "The same record spelled differently",
                                                        value = ApiExamples.RECORD_AGAIN),
                                                @ExampleObject(
                                                        name = ApiExamples.CONFLICT,
                                                        summary = "The same recordId with another value",
                                                        value = ApiExamples.RECORD_CONFLICTING),
                                                @ExampleObject(
                                                        name = ApiExamples.INVALID,
                                                        value = ApiExamples.RECORD_INVALID),
                                                @ExampleObject(
                                                        name = ApiExamples.MALFORMED,
                                                        summary = "Not one JSON object",
                                                        value = ApiExamples.RECORD_MALFORMED)
                                            })))
    @ApiResponse(
            responseCode = "201",
            description = "accepted: stored, summarised, its notification (and alert) written",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/records/{recordId}, encoded"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.RecordAnswer.class),
                            examples =
                                    @ExampleObject(name = ApiExamples.ACCEPTED, value = ApiExamples.ANSWER_ACCEPTED)))
    @ApiResponse(
            responseCode = "200",
            description = "duplicate: processed before with the same content; no effect",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.RecordAnswer.class),
                            examples =
                                    @ExampleObject(name = ApiExamples.DUPLICATE, value = ApiExamples.ANSWER_DUPLICATE)))
    @ApiResponse(
            responseCode = "400",
            description = "invalid-record (errors[] names every broken rule), malformed-json or bad-request",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = {
                                @ExampleObject(name = ApiExamples.INVALID, value = ApiExamples.PROBLEM_INVALID_RECORD),
                                @ExampleObject(name = ApiExamples.MALFORMED, value = ApiExamples.PROBLEM_MALFORMED)
                            }))
    @ApiResponse(
            responseCode = "409",
            description = "conflict: the recordId was processed with other content (differingFields)",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples =
                                    @ExampleObject(name = ApiExamples.CONFLICT, value = ApiExamples.PROBLEM_CONFLICT)))
    @ApiResponse(
            responseCode = "413",
            description = "too-large: the body is over tally.ingest.max-record-bytes",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples =
                                    @ExampleObject(name = "too-large", value = ApiExamples.PROBLEM_RECORD_TOO_LARGE)))
    @ApiResponse(
            responseCode = "503",
            description = "overloaded or unavailable: nothing stored; resend after Retry-After seconds",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, schema = @Schema(type = "integer", minimum = "1")),
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "overloaded", value = ApiExamples.PROBLEM_OVERLOADED)))
    ResponseEntity<?> postOne(InputStream body, @Parameter(hidden = true) SourceGrant sources)
            throws InterruptedException {
        Validation v = RecordReader.readOne(
                new BoundedInputStream(body, ingest.maxRecordBytes().toBytes(), "The record"));
        if (v instanceof Validation.Invalid invalid) {
            counter.refused(Channel.HTTP, ItemOutcome.INVALID.wire(), 1);
            return ResponseEntity.badRequest()
                    .body(Problems.invalid(
                            ProblemType.INVALID_RECORD,
                            invalid.errors().stream()
                                    .map(e -> new InvalidField(e.field(), e.message()))
                                    .toList()));
        }
        TallyRecord record = ((Validation.Valid) v).record();
        if (!sources.permits(record.sourceId())) {
            counter.refused(Channel.HTTP, ItemOutcome.FORBIDDEN.wire(), 1);
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(forbidden(record));
        }
        Outcome outcome = Commits.await(
                        committer.submit(List.of(record), Channel.HTTP),
                        processing.commitTimeout(),
                        processing.retryAfter())
                .get(0);
        // {"recordId","outcome"} written directly: the hot path of one-record-per-request clients,
        // where the generic Map-through-databind conversion showed in the profile (docs/performance.md, item 5)
        StringWriter answer = new StringWriter(64 + record.recordId().length());
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), answer)) {
            g.writeStartObject();
            g.writeStringProperty("recordId", record.recordId());
            g.writeStringProperty("outcome", outcome.kind().wire());
            g.writeEndObject();
        }
        return switch (outcome.kind()) {
            // encode() escapes every reserved character: encodePathSegment() would leave ';' (a
            // path parameter to the server) and so a Location that does not lead back to the record
            case ACCEPTED ->
                ResponseEntity.created(URI.create("/v1/records/"
                                + UriUtils.encode(record.recordId(), java.nio.charset.StandardCharsets.UTF_8)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(answer.toString());
            case DUPLICATE ->
                ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.toString());
            case CONFLICT -> ResponseEntity.status(HttpStatus.CONFLICT).body(conflict(record, outcome));
        };
    }

    private static ProblemDetail forbidden(TallyRecord record) {
        ProblemDetail p = Problems.problem(
                ProblemType.FORBIDDEN_SOURCE,
                "This token may not write records of source '" + record.sourceId()
                        + "' (claim tally_sources). Nothing was stored.");
        p.setProperty("recordId", record.recordId());
        p.setProperty(
                "errors",
                List.of(Map.of(
                        "field",
                        SourceRefusal.FIELD,
                        "message",
                        SourceRefusal.of(record).message())));
        return p;
    }

    private static ProblemDetail conflict(TallyRecord record, Outcome outcome) {
        ProblemDetail p = Problems.problem(
                ProblemType.CONFLICT,
                "recordId " + record.recordId() + " was already processed with different content in: "
                        + String.join(", ", outcome.differingFields()) + ". The stored record is unchanged.");
        p.setProperty("recordId", record.recordId());
        p.setProperty("differingFields", outcome.differingFields());
        p.setProperty(
                "errors",
                ItemResult.conflictErrors(outcome).stream()
                        .map(e -> Map.of("field", e.field(), "message", e.message()))
                        .toList());
        return p;
    }

    @PostMapping(
            value = "/batch",
            consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON_VALUE, JSONL_VALUE, X_JSONLINES_VALUE})
    @Operation(
            summary = "Ingest a batch: a JSON array, or NDJSON of any length",
            description = "One result per input item, in input order; invalid items do not stop valid ones."
                    + " A JSON array holds at most tally.ingest.max-batch items (default 10,000). NDJSON"
                    + " (application/x-ndjson; also application/jsonl, application/x-jsonlines) is streamed both"
                    + " ways, committed in chunks: results first, then complete and the counts. Answers after commit.",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        array =
                                                @ArraySchema(
                                                        schema =
                                                                @Schema(implementation = ApiSchemas.RecordInput.class)),
                                        examples =
                                                @ExampleObject(
                                                        name = ApiExamples.ARRAY,
                                                        value = ApiExamples.BATCH_ARRAY)),
                                @Content(
                                        mediaType = NDJSON_VALUE,
                                        schema =
                                                @Schema(
                                                        implementation = ApiSchemas.RecordInput.class,
                                                        description = "One record per line (each line one"
                                                                + " RecordInput); blank lines are ignored"),
                                        examples =
                                                @ExampleObject(
                                                        name = ApiExamples.NDJSON,
                                                        value = ApiExamples.BATCH_NDJSON))
                            }))
    @ApiResponse(
            responseCode = "200",
            description = "Every item's result, after commit (see complete for NDJSON)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.BatchAnswer.class),
                            examples = {
                                @ExampleObject(name = ApiExamples.ARRAY, value = ApiExamples.ANSWER_ARRAY),
                                @ExampleObject(name = ApiExamples.NDJSON, value = ApiExamples.ANSWER_NDJSON)
                            }))
    @ApiResponse(
            responseCode = "400",
            description = "malformed-json: a JSON body that is not one array (NDJSON: a bad line is an invalid item)",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "not-an-array", value = ApiExamples.PROBLEM_NOT_AN_ARRAY)))
    @ApiResponse(
            responseCode = "413",
            description = "too-large: more items than tally.ingest.max-batch, or a body over max-batch-bytes",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "too-large", value = ApiExamples.PROBLEM_TOO_LARGE)))
    @ApiResponse(
            responseCode = "503",
            description = "overloaded or unavailable before any result was sent: resend after Retry-After seconds",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, schema = @Schema(type = "integer", minimum = "1")),
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "overloaded", value = ApiExamples.PROBLEM_OVERLOADED)))
    void postBatch(
            InputStream body,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false)
                    String contentType,
            @Parameter(hidden = true) SourceGrant sources,
            HttpServletResponse response)
            throws IOException, InterruptedException {
        if (contentType != null && isNdjson(contentType)) {
            NdjsonBatch batch = new NdjsonBatch(
                    committer,
                    counter,
                    sources,
                    ingest.ndjsonChunk(),
                    processing.commitTimeout(),
                    processing.retryAfter(),
                    response);
            int maxLineBytes = (int) ingest.maxRecordBytes().toBytes();
            if (RecordReader.readNdjson(body, maxLineBytes, batch::accept)) {
                batch.finish();
            } else {
                batch.finish(Problems.problem(
                        ProblemType.TOO_LARGE,
                        "The last line reported is longer than " + 2L * maxLineBytes + " bytes (twice "
                                + "tally.ingest.max-record-bytes); the body was not read past it. Resend the lines "
                                + "after it."));
            }
            return;
        }
        List<Validation> items = RecordReader.readArray(
                new BoundedInputStream(body, ingest.maxBatchBytes().toBytes(), "The batch"), ingest.maxBatch());
        List<TallyRecord> valid = new ArrayList<>(items.size());
        for (Validation v : items) {
            if (v instanceof Validation.Valid ok && sources.permits(ok.record().sourceId())) {
                valid.add(ok.record());
            }
        }
        List<Outcome> outcomes = Commits.await(
                committer.submit(valid, Channel.HTTP), processing.commitTimeout(), processing.retryAfter());
        List<ItemResult> results = new ArrayList<>(items.size());
        BatchResults counts = new BatchResults(counter);
        int next = 0;
        for (int i = 0; i < items.size(); i++) {
            ItemResult r;
            if (!(items.get(i) instanceof Validation.Valid ok)) {
                r = ItemResult.invalid(i, (Validation.Invalid) items.get(i));
            } else if (!sources.permits(ok.record().sourceId())) {
                r = ItemResult.forbidden(i, ok.record());
            } else {
                r = ItemResult.of(i, ok.record().recordId(), outcomes.get(next++));
            }
            counts.count(r);
            results.add(r);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        try (JsonGenerator g =
                RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream())) {
            g.writeStartObject();
            counts.writeCounts(g);
            g.writeName("results");
            g.writeStartArray();
            for (ItemResult r : results) {
                BatchResults.write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static boolean isNdjson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return NDJSON.equalsTypeAndSubtype(type)
                    || "jsonl".equals(type.getSubtype())
                    || "x-jsonlines".equals(type.getSubtype());
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return false;
        }
    }

    /**
     * The recordId is the whole last path segment, decoded: a literal {@code ;} is part of it. The
     * servlet container and Spring's path matching both read {@code abc;x=1} as the segment
     * {@code abc} with a path parameter, so {@code @PathVariable} would answer with the record
     * {@code abc}; a client that puts {@code abc;x=1} into a URI template without encoding
     * {@code ;} (legal in a path segment, RFC 3986) would silently read another record.
     */
    @GetMapping("/{recordId}")
    @Operation(summary = "A stored record")
    @Parameter(
            name = "recordId",
            in = ParameterIn.PATH,
            required = true,
            description = "The recordId, percent-encoded as one path segment (/ is %2F, ; is %3B)",
            schema = @Schema(type = "string", minLength = 1, maxLength = 128),
            example = "r-1")
    @ApiResponse(
            responseCode = "200",
            description = "The record as stored",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.StoredRecord.class),
                            examples = @ExampleObject(name = "r-1", value = ApiExamples.STORED)))
    @ApiResponse(
            responseCode = "404",
            description = "not-found: no record with this recordId was processed",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "not-found", value = ApiExamples.PROBLEM_NOT_FOUND)))
    ResponseEntity<?> get(HttpServletRequest request) {
        String recordId = lastSegment(request);
        return records.findById(recordId)
                .<ResponseEntity<?>>map(r -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(toJson(r)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Problems.problem(
                                ProblemType.NOT_FOUND, "No record with recordId " + recordId + " was processed.")));
    }

    private static String lastSegment(HttpServletRequest request) {
        PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
                : ServletRequestPathUtils.parseAndCache(request).pathWithinApplication();
        List<PathContainer.Element> elements = path.elements();
        // the mapping matched /v1/records/{recordId}, so the last element is that segment
        String raw = elements.get(elements.size() - 1).value();
        return UriUtils.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String toJson(TallyRecord r) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), w)) {
            RecordJson.writeRecord(g, r);
        }
        return w.toString();
    }
}
