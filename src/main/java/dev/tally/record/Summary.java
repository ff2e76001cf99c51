package dev.tally.record;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The summary of the records processed so far for one {@code (destinationId, reference)}: how many,
 * the earliest and latest record {@code time}, and totals per unit (units in code-point order).
 * Immutable; {@link #fold} returns the summary with one more record.
 */
public record Summary(long recordCount, Instant firstTime, Instant lastTime, List<UnitTotals> totals) {

    public static final Summary EMPTY = new Summary(0, null, null, List.of());

    public Summary {
        Objects.requireNonNull(totals, "totals");
        if (recordCount < 0 || (recordCount == 0) != (firstTime == null) || (firstTime == null) != (lastTime == null)) {
            throw new IllegalArgumentException(
                    "inconsistent summary: " + recordCount + " " + firstTime + " " + lastTime);
        }
        totals = List.copyOf(totals);
    }

    public Summary fold(TallyRecord record) {
        TreeMap<String, UnitTotals> byUnit = new TreeMap<>();
        for (UnitTotals t : totals) {
            byUnit.put(t.unit(), t);
        }
        byUnit.merge(
                record.unit(),
                UnitTotals.zero(record.unit()).plus(record.type(), record.value()),
                (old, ignored) -> old.plus(record.type(), record.value()));
        Instant first = firstTime == null || record.time().isBefore(firstTime) ? record.time() : firstTime;
        Instant last = lastTime == null || record.time().isAfter(lastTime) ? record.time() : lastTime;
        return new Summary(recordCount + 1, first, last, List.copyOf(byUnit.values()));
    }

    public static Summary of(long recordCount, Instant firstTime, Instant lastTime, Collection<UnitTotals> totals) {
        return new Summary(recordCount, firstTime, lastTime, List.copyOf(totals));
    }
}
