package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.record.RecordType;
import dev.tally.record.RecordValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters of {@code GET /v1/aggregations}, validated, and the WHERE clause they make. Every
 * filter is optional; {@code from} is inclusive, {@code to} exclusive.
 */
record AggregationQuery(Instant from, Instant to, RecordType type, String destinationId, String sourceId,
        String reference, String unit, boolean includeRecords) {

    /** The SQL condition and its arguments, in order. */
    record Where(String sql, List<Object> args) {}

    /** Parses the raw query parameters; every broken rule is reported, naming its parameter. */
    static AggregationQuery parse(String from, String to, String type, String destinationId, String sourceId,
            String reference, String unit, String includeRecords, List<FieldError> errors) {
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
        return new AggregationQuery(fromTime, toTime, recordType, destinationId, sourceId, reference, unit, include);
    }

    private static void notEmpty(String name, String value, List<FieldError> errors) {
        if (value != null && value.isEmpty()) {
            errors.add(new FieldError(name, "must not be empty when given"));
        }
    }

    Where where() {
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (from != null) {
            conditions.add("record_time >= ?");
            args.add(from);
        }
        if (to != null) {
            conditions.add("record_time < ?");
            args.add(to);
        }
        if (type != null) {
            conditions.add("record_type = ?");
            args.add(type.wire());
        }
        add(conditions, args, "destination_id", destinationId);
        add(conditions, args, "source_id", sourceId);
        add(conditions, args, "reference", reference);
        add(conditions, args, "unit", unit);
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), args);
    }

    private static void add(List<String> conditions, List<Object> args, String column, String value) {
        if (value != null) {
            conditions.add(column + " = ?");
            args.add(value);
        }
    }
}
