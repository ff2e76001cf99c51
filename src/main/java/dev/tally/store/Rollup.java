package dev.tally.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The levels of the totals rollups, finest first: each level's buckets are whole buckets of the
 * level before it (a UTC day is 24 UTC hours, a Monday-aligned UTC week 7 UTC days), so a window
 * is covered exactly by the coarsest buckets inside it plus finer ones at its ends (see
 * {@link AggregationFilter#rollupTotals}).
 *
 * <p>Weeks were chosen over epoch-aligned blocks of 8, 10 or 16 days by counting the rows a window
 * reads per group (docs/performance.md): they tie or win for the windows users ask for (the last
 * 7, 30 or 90 days, a 30-day range from midnight).
 */
public enum Rollup {
    HOUR("hourly_totals", "hour_start", "utc_hour_of_record_time"),
    DAY("daily_totals", "day_start", "utc_day_of_record_time"),
    WEEK("weekly_totals", "week_start", "utc_week_of_record_time");

    private static final long SECONDS_PER_DAY = 86_400;
    /** 1970-01-05, the first Monday after the epoch (a Thursday), as a day number. */
    private static final long FIRST_MONDAY_EPOCH_DAY = 4;

    private final String table;
    private final String startColumn;
    private final String bucketPlaceholder;

    Rollup(String table, String startColumn, String bucketPlaceholder) {
        this.table = table;
        this.startColumn = startColumn;
        this.bucketPlaceholder = bucketPlaceholder;
    }

    public String table() {
        return table;
    }

    /** The column holding the bucket's start (inclusive; the bucket ends where the next starts). */
    public String startColumn() {
        return startColumn;
    }

    /**
     * The SQL expression, for {@code dialect}, of the start of the bucket a record's
     * {@code record_time} falls in: the same one the migrations backfilled the level with.
     */
    public String bucketOfRecordTime(Dialect dialect) {
        return dialect.flywayPlaceholders().get(bucketPlaceholder);
    }

    /** The start of the bucket {@code t} falls in. */
    public Instant floor(Instant t) {
        return switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> {
                long day = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
                long monday = day - Math.floorMod(day - FIRST_MONDAY_EPOCH_DAY, 7);
                yield Instant.ofEpochSecond(monday * SECONDS_PER_DAY);
            }
        };
    }

    /** The first bucket start at or after {@code t}. */
    public Instant ceil(Instant t) {
        Instant floor = floor(t);
        return floor.equals(t) ? t : next(floor);
    }

    /** The start of the bucket after the one starting at {@code bucketStart}. */
    public Instant next(Instant bucketStart) {
        return switch (this) {
            case HOUR -> bucketStart.plus(1, ChronoUnit.HOURS);
            case DAY -> bucketStart.plus(1, ChronoUnit.DAYS);
            case WEEK -> bucketStart.plus(7, ChronoUnit.DAYS);
        };
    }
}
