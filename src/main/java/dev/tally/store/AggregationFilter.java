package dev.tally.store;

import dev.tally.record.RecordType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The filters of an aggregation and the SQL they make: the WHERE clause over the records, and the
 * totals-only query over the rollups. Every filter is optional (null); {@code from} is inclusive,
 * {@code to} exclusive. Validating them is the caller's ({@code query.AggregationQuery}).
 */
public record AggregationFilter(
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable RecordType type,
        @Nullable String destinationId,
        @Nullable String sourceId,
        @Nullable String reference,
        @Nullable String unit) {

    /**
     * Totals only, from the rollups: the rows of each level's spans and the records of the partial
     * hours, summed per group; the same columns and order as the plain totals scan. NUMERIC sums
     * are exact; the largest scale of the parts is the largest scale of the records.
     */
    private static final String ROLLUP_TOTALS = """
            SELECT destination_id, unit, record_type, SUM(n), SUM(amount), MAX(scale)
            FROM (%s) t
            GROUP BY destination_id, unit, record_type
            ORDER BY destination_id, unit, record_type""";

    private static final String ROLLUP_ROWS = """
            SELECT destination_id, unit, record_type, record_count AS n, amount_sum AS amount, max_scale AS scale
            FROM %s%s""";

    private static final String EDGE_RECORDS = """
            SELECT destination_id, unit, record_type, COUNT(*), SUM(amount), MAX(amount_scale)
            FROM records%s
            GROUP BY destination_id, unit, record_type""";

    private static final String UNFOLDED_RECORDS = """
            SELECT destination_id, unit, record_type, COUNT(*), SUM(amount), MAX(amount_scale)
            FROM (SELECT destination_id, unit, record_type, record_time, amount, amount_scale
                  FROM records
                  WHERE seq > ? AND seq <= ?
                  OFFSET 0) unfolded%s
            GROUP BY destination_id, unit, record_type""";

    /** SQL text (a condition, or a whole query) and its arguments, in order. */
    public record Where(String sql, List<Object> args) {}

    /**
     * One piece of a totals-only window: the rows of {@code level} whose bucket starts in
     * [{@code from}, {@code to}), or, when {@code level} is null, the records whose time is in it.
     * A null bound is open.
     */
    record Span(
            @Nullable Rollup level,
            @Nullable Instant from,
            @Nullable Instant to) {}

    /**
     * True when the totals can come from the rollups ({@link #rollupTotals}): no filter the rollups
     * do not keep ({@code sourceId}, {@code reference}), and a window holding a whole hour.
     */
    public boolean totalsFromRollups() {
        return sourceId == null && reference == null && spans(from, to).isPresent();
    }

    /**
     * Totals only, from the rollups, as one query with the same columns and order as the plain
     * totals scan ({@code destination_id, unit, record_type, count, sum, largest scale}); only when
     * {@link #totalsFromRollups()}. {@code foldedSeq} is the rollups' watermark and {@code lastSeq}
     * the sequencer's position, both read in the same snapshot: the rollups hold the records up to
     * the watermark, the records above it in the window's whole hours are added from the records
     * table (the partial hours at the edges are read from the records anyway, folded or not), so
     * each record in the window is counted exactly once.
     */
    public Where rollupTotals(long foldedSeq, long lastSeq) {
        List<Span> spans = spans(from, to).orElseThrow();
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (Rollup level : Rollup.values()) {
            Where where = spanWhere(spans, level, level.startColumn());
            if (where != null) {
                parts.add(ROLLUP_ROWS.formatted(level.table(), where.sql()));
                args.addAll(where.args());
            }
        }
        Where edges = spanWhere(spans, null, "record_time");
        if (edges != null) {
            parts.add(EDGE_RECORDS.formatted(edges.sql()));
            args.addAll(edges.args());
        }
        Where unfolded = unfolded(foldedSeq, lastSeq);
        parts.add(unfolded.sql());
        args.addAll(unfolded.args());
        return new Where(ROLLUP_TOTALS.formatted(String.join("\nUNION ALL\n", parts)), args);
    }

    /**
     * The records not yet folded into the rollups (seq in ({@code foldedSeq}, {@code lastSeq}]) whose
     * time is in the whole hours of the window: the part of the window the rollup rows answer for.
     * They are found by seq alone, behind {@code OFFSET 0} (a subquery PostgreSQL does not merge
     * into the outer query): with the time range beside it, a planner without fresh statistics
     * took the time index and read every record of the window to find the few unfolded ones
     * (docs/performance.md). A range with both ends keeps the seq index the cheaper choice even
     * without statistics.
     */
    private Where unfolded(long foldedSeq, long lastSeq) {
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        args.add(foldedSeq);
        args.add(lastSeq);
        if (from != null) {
            conditions.add("record_time >= ?");
            args.add(Rollup.HOUR.ceil(from));
        }
        if (to != null) {
            conditions.add("record_time < ?");
            args.add(Rollup.HOUR.floor(to));
        }
        addGroupFilters(conditions, args);
        Where where = whereOf(conditions, args); // the seq range's two arguments come first
        return new Where(UNFOLDED_RECORDS.formatted(where.sql()), where.args());
    }

    /** The WHERE clause for the spans of {@code level} plus the group filters; null when it has no span. */
    private @Nullable Where spanWhere(List<Span> spans, @Nullable Rollup level, String column) {
        List<String> ranges = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (Span span : spans) {
            if (span.level() != level) {
                continue;
            }
            List<String> bounds = new ArrayList<>();
            if (span.from() != null) {
                bounds.add(column + " >= ?");
                args.add(span.from());
            }
            if (span.to() != null) {
                bounds.add(column + " < ?");
                args.add(span.to());
            }
            ranges.add(bounds.isEmpty() ? "1 = 1" : "(" + String.join(" AND ", bounds) + ")");
        }
        if (ranges.isEmpty()) {
            return null;
        }
        List<String> conditions = new ArrayList<>();
        conditions.add(ranges.size() == 1 ? ranges.get(0) : "(" + String.join(" OR ", ranges) + ")");
        addGroupFilters(conditions, args);
        return whereOf(conditions, args);
    }

    /**
     * [{@code from}, {@code to}) cut into the fewest rollup buckets: records for the partial hours at
     * the ends, then at each level the buckets up to the next level's first boundary and from its
     * last, the coarsest level for the middle. Every instant of the window is in exactly one span,
     * and each span is whole buckets of its level. Empty when the window holds no whole hour.
     */
    static Optional<List<Span>> spans(@Nullable Instant from, @Nullable Instant to) {
        Rollup[] levels = Rollup.values();
        Instant lo = from == null ? null : levels[0].ceil(from);
        Instant hi = to == null ? null : levels[0].floor(to);
        if (lo != null && hi != null && !lo.isBefore(hi)) {
            return Optional.empty();
        }
        List<Span> spans = new ArrayList<>();
        if (from != null && from.isBefore(lo)) {
            spans.add(new Span(null, from, lo));
        }
        if (to != null && hi.isBefore(to)) {
            spans.add(new Span(null, hi, to));
        }
        for (int i = 0; i < levels.length; i++) {
            Rollup level = levels[i];
            Instant nextLo = lo;
            Instant nextHi = hi;
            if (i + 1 < levels.length) {
                nextLo = lo == null ? null : levels[i + 1].ceil(lo);
                nextHi = hi == null ? null : levels[i + 1].floor(hi);
            }
            boolean last = i + 1 == levels.length || (nextLo != null && nextHi != null && !nextLo.isBefore(nextHi));
            if (last) {
                spans.add(new Span(level, lo, hi));
                break;
            }
            if (lo != null && lo.isBefore(nextLo)) {
                spans.add(new Span(level, lo, nextLo));
            }
            if (hi != null && nextHi.isBefore(hi)) {
                spans.add(new Span(level, nextHi, hi));
            }
            lo = nextLo;
            hi = nextHi;
        }
        return Optional.of(spans);
    }

    /** The condition on the records, {@code ""} or {@code " WHERE ..."}, with its arguments. */
    public Where where() {
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

    /** The filters that both the records and the rollups carry: type, destinationId, unit. */
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

    private static void add(List<String> conditions, List<Object> args, String column, @Nullable String value) {
        if (value != null) {
            conditions.add(column + " = ?");
            args.add(value);
        }
    }
}
