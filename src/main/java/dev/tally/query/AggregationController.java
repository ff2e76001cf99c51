package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.store.AggregationReader;
import dev.tally.web.BadParameter;
import dev.tally.web.InvalidField;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
class AggregationController {

    private final AggregationReader reader;

    AggregationController(AggregationReader reader) {
        this.reader = reader;
    }

    @GetMapping("/v1/aggregations")
    void aggregate(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String destinationId,
            @RequestParam(required = false) String sourceId,
            @RequestParam(required = false) String reference,
            @RequestParam(required = false) String unit,
            @RequestParam(required = false) String includeRecords,
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
