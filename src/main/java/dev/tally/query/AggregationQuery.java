package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.record.RecordType;
import dev.tally.record.RecordValidator;
import dev.tally.store.AggregationFilter;
import java.time.Instant;
import java.util.List;

/**
 * The parameters of {@code GET /v1/aggregations}, validated: the filters (whose SQL is the store's,
 * {@link AggregationFilter}) and whether the records are wanted with the totals. Every filter is
 * optional; {@code from} is inclusive, {@code to} exclusive.
 */
record AggregationQuery(AggregationFilter filter, boolean includeRecords) {

    /** Parses the raw query parameters; every broken rule is reported, naming its parameter. */
    static AggregationQuery parse(
            String from,
            String to,
            String type,
            String destinationId,
            String sourceId,
            String reference,
            String unit,
            String includeRecords,
            List<FieldError> errors) {
        Instant fromTime = from == null ? null : RecordValidator.parseInstant("from", from, errors);
        Instant toTime = to == null ? null : RecordValidator.parseInstant("to", to, errors);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            errors.add(new FieldError("from", "must be before to"));
        }
        RecordType recordType = null;
        if (type != null) {
            recordType = RecordType.fromWire(type);
            if (recordType == null) {
                errors.add(new FieldError("type", "must be exactly \"positive\" or \"negative\""));
            }
        }
        boolean include = true;
        if (includeRecords != null) {
            if ("false".equals(includeRecords)) {
                include = false;
            } else if (!"true".equals(includeRecords)) {
                errors.add(new FieldError("includeRecords", "must be true or false"));
            }
        }
        notEmpty("destinationId", destinationId, errors);
        notEmpty("sourceId", sourceId, errors);
        notEmpty("reference", reference, errors);
        notEmpty("unit", unit, errors);
        return new AggregationQuery(
                new AggregationFilter(fromTime, toTime, recordType, destinationId, sourceId, reference, unit), include);
    }

    private static void notEmpty(String name, String value, List<FieldError> errors) {
        if (value != null && value.isEmpty()) {
            errors.add(new FieldError(name, "must not be empty when given"));
        }
    }
}
