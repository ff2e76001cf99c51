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
import dev.tally.web.InvalidField;
import dev.tally.web.Problems;
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
class RecordController {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

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

    @PostMapping
    ResponseEntity<?> postOne(InputStream body, SourceGrant sources) throws InterruptedException {
        Validation v = RecordReader.readOne(
                new BoundedInputStream(body, ingest.maxRecordBytes().toBytes(), "The record"));
        if (v instanceof Validation.Invalid invalid) {
            counter.refused(Channel.HTTP, ItemOutcome.INVALID.wire(), 1);
            return ResponseEntity.badRequest()
                    .body(Problems.invalid(
                            "invalid-record",
                            "Invalid record",
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
                HttpStatus.FORBIDDEN,
                "forbidden-source",
                "Source not allowed",
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
                HttpStatus.CONFLICT,
                "conflict",
                "Conflicting record",
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

    @PostMapping("/batch")
    void postBatch(
            InputStream body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            SourceGrant sources,
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
                        HttpStatus.CONTENT_TOO_LARGE,
                        "too-large",
                        "Content too large",
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
    ResponseEntity<?> get(HttpServletRequest request) {
        String recordId = lastSegment(request);
        return records.findById(recordId)
                .<ResponseEntity<?>>map(r -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(toJson(r)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Problems.problem(
                                HttpStatus.NOT_FOUND,
                                "not-found",
                                "Record not found",
                                "No record with recordId " + recordId + " was processed.")));
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
