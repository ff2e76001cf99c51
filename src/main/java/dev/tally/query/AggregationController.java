package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.store.AggregationReader;
import dev.tally.web.BadParameter;
import dev.tally.web.EdgeProblems;
import dev.tally.web.InvalidField;
import dev.tally.web.api.ApiExamples;
import dev.tally.web.api.ApiSchemas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/aggregations}: groups by destinationId (in code-point order), each with its
 * record count, totals per unit and (unless {@code includeRecords=false}) every matching record
 * ordered by time then recordId.
 *
 * <p>Parameters → query → response: the parameters are validated into an {@link AggregationQuery}
 * (a broken one is a {@code 400} problem naming it), the store reads it in one snapshot
 * ({@link AggregationReader}) and {@link AggregationResponse} writes the JSON as the rows stream,
 * with flat memory.
 */
@RestController
@Tag(name = "aggregations", description = "Records grouped by destinationId, with totals per unit, streamed")
class AggregationController {

    private final AggregationReader reader;

    AggregationController(AggregationReader reader) {
        this.reader = reader;
    }

    @GetMapping("/v1/aggregations")
    @Operation(
            summary = "Aggregate the records matching every filter given",
            description = "Groups ordered by destinationId (code-point order), each with its record count, totals"
                    + " per unit and (unless includeRecords=false) its records ordered by time, then recordId."
                    + " Streamed from one snapshot: memory does not grow with the result. Times in parameters"
                    + " follow the record rule (ISO-8601 with an offset; encode + as %2B).")
    @ApiResponse(
            responseCode = "200",
            description = "The groups",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ApiSchemas.Aggregation.class),
                            examples = @ExampleObject(name = "aggregation", value = ApiExamples.AGGREGATION)))
    @ApiResponse(
            responseCode = "400",
            description = "invalid-parameter (errors[] names each: unparsable time, no offset, from >= to, unknown"
                    + " type, an empty filter, includeRecords not true/false) or bad-request",
            content =
                    @Content(
                            mediaType = EdgeProblems.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.Problem.class),
                            examples = @ExampleObject(name = "invalid", value = ApiExamples.PROBLEM_INVALID_PARAMETER)))
    void aggregate(
            @Parameter(
                            description = "Inclusive lower bound on time (ISO-8601 with offset)",
                            schema = @Schema(type = "string", format = "date-time", maxLength = 64),
                            example = "2026-03-01T00:00:00Z")
                    @RequestParam(required = false)
                    String from,
            @Parameter(
                            description = "Exclusive upper bound on time; must be after from",
                            schema = @Schema(type = "string", format = "date-time", maxLength = 64),
                            example = "2026-04-01T00:00:00Z")
                    @RequestParam(required = false)
                    String to,
            @Parameter(
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"positive", "negative"}),
                            example = "positive")
                    @RequestParam(required = false)
                    String type,
            @Parameter(schema = @Schema(type = "string", minLength = 1), example = "acct-42")
                    @RequestParam(required = false)
                    String destinationId,
            @Parameter(schema = @Schema(type = "string", minLength = 1), example = "billing")
                    @RequestParam(required = false)
                    String sourceId,
            @Parameter(schema = @Schema(type = "string", minLength = 1), example = "inv-2026-001")
                    @RequestParam(required = false)
                    String reference,
            @Parameter(schema = @Schema(type = "string", minLength = 1), example = "SEK")
                    @RequestParam(required = false)
                    String unit,
            @Parameter(
                            description = "false: totals only (no records arrays)",
                            schema = @Schema(type = "boolean", defaultValue = "true"),
                            example = "true")
                    @RequestParam(required = false)
                    String includeRecords,
            HttpServletResponse response)
            throws IOException, SQLException {
        List<FieldError> errors = new ArrayList<>();
        AggregationQuery query = AggregationQuery.parse(
                from, to, type, destinationId, sourceId, reference, unit, includeRecords, errors);
        if (!errors.isEmpty()) {
            throw new BadParameter(errors.stream()
                    .map(e -> new InvalidField(e.field(), e.message()))
                    .toList());
        }
        reader.read(query.filter(), query.includeRecords(), new AggregationResponse(query, response));
    }
}
