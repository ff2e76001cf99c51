package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.record.RecordType;
import dev.tally.record.RecordValidator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * The totals-only query split at whole UTC hours: {@code buckets} selects the hourly_totals rows
     * of the hours wholly inside [from, to), {@code edges} the records of the partial hours at the
     * window's ends (none when from and to fall on hours).
     */
    record HourlySplit(Where buckets, Where edges) {}

    /**
     * The split of a totals-only query, or empty when the hourly totals cannot answer it: records
     * are wanted, a filter the hourly totals do not keep (sourceId, reference) is given, or the
     * window holds no whole hour.
     */
    Optional<HourlySplit> hourlySplit() {
        if (includeRecords || sourceId != null || reference != null) {
            return Optional.empty();
        }
        Instant lo = from == null ? null : ceilHour(from);
        Instant hi = to == null ? null : to.truncatedTo(ChronoUnit.HOURS);
        if (lo != null && hi != null && !lo.isBefore(hi)) {
            return Optional.empty();
        }
        List<String> bucketConditions = new ArrayList<>();
        List<Object> bucketArgs = new ArrayList<>();
        if (lo != null) {
            bucketConditions.add("hour_start >= ?");
            bucketArgs.add(lo);
        }
        if (hi != null) {
            bucketConditions.add("hour_start < ?");
            bucketArgs.add(hi);
        }
        List<String> edges = new ArrayList<>();
        List<Object> edgeArgs = new ArrayList<>();
        if (from != null && from.isBefore(lo)) {
            edges.add("(record_time >= ? AND record_time < ?)");
            edgeArgs.add(from);
            edgeArgs.add(lo);
        }
        if (to != null && hi.isBefore(to)) {
            edges.add("(record_time >= ? AND record_time < ?)");
            edgeArgs.add(hi);
            edgeArgs.add(to);
        }
        List<String> edgeConditions = new ArrayList<>();
        edgeConditions.add(edges.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", edges) + ")");
        addGroupFilters(bucketConditions, bucketArgs);
        addGroupFilters(edgeConditions, edgeArgs);
        return Optional.of(new HourlySplit(whereOf(bucketConditions, bucketArgs), whereOf(edgeConditions, edgeArgs)));
    }

    private static Instant ceilHour(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(t) ? t : floor.plus(1, ChronoUnit.HOURS);
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
        addGroupFilters(conditions, args);
        add(conditions, args, "source_id", sourceId);
        add(conditions, args, "reference", reference);
        return whereOf(conditions, args);
    }

    /** The filters that both the records and the hourly totals carry: type, destinationId, unit. */
    private void addGroupFilters(List<String> conditions, List<Object> args) {
        if (type != null) {
            conditions.add("record_type = ?");
            args.add(type.wire());
        }
        add(conditions, args, "destination_id", destinationId);
        add(conditions, args, "unit", unit);
    }

    private static Where whereOf(List<String> conditions, List<Object> args) {
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), args);
    }

    private static void add(List<String> conditions, List<Object> args, String column, String value) {
        if (value != null) {
            conditions.add(column + " = ?");
            args.add(value);
        }
    }
}
