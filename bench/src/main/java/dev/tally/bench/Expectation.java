package dev.tally.bench;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * What the service must have done, computed from the generator alone (never from the service's
 * answers): outcome counts, the ids that must get a notification / an alert, and the exact
 * per-destination per-unit totals of everything stored so far (cumulative across scenarios).
 */
final class Expectation {

    static final BigDecimal THRESHOLD = new BigDecimal("10000");

    /** One scenario's expected outcomes and messages. */
    static final class Scenario {
        long accepted, duplicate, conflict, invalid;
        final Set<String> notificationIds = new HashSet<>();
        final Set<String> alertIds = new HashSet<>();
    }

    /** Per destination: record count and per-unit [positive, negative] totals. */
    static final class Destination {
        long count;
        final Map<String, BigDecimal[]> units = new TreeMap<>();
    }

    /** Everything stored so far. */
    final Map<String, Destination> destinations = new TreeMap<>();

    /** The windows the totals checks read ({@link Times}); what each must sum. */
    final Times.Window thirtyDays;

    final Times.Window edged;
    final Map<String, Destination> inThirtyDays = new TreeMap<>();
    final Map<String, Destination> windowed = new TreeMap<>();

    Expectation(Times times) {
        this.thirtyDays = times.thirtyDays();
        this.edged = times.edged();
    }

    Scenario add(Generator g, int items) {
        return add(g::item, items);
    }

    /** Items {@code 0 .. items-1} of {@code source}, whose copies refer to originals among them. */
    Scenario add(IntFunction<Generator.Item> source, int items) {
        Scenario s = new Scenario();
        for (int i = 0; i < items; i++) {
            Generator.Item it = source.apply(i);
            switch (it.kind()) {
                case INVALID -> s.invalid++;
                case DUPLICATE -> s.duplicate++;
                case CONFLICT -> s.conflict++;
                case ORIGINAL -> {
                    s.accepted++;
                    s.notificationIds.add(it.recordId());
                    if (it.value().compareTo(THRESHOLD) > 0) {
                        s.alertIds.add(it.recordId());
                    }
                    store(it);
                }
            }
        }
        if (s.notificationIds.size() != s.accepted) {
            throw new IllegalStateException("generator produced a repeated original id");
        }
        return s;
    }

    /** Originals only, folded into the totals; no per-id sets (meant for millions of records). */
    void addTotalsOnly(Generator g, int items) {
        for (int i = 0; i < items; i++) {
            Generator.Item it = g.item(i);
            if (it.kind() != Generator.Kind.ORIGINAL) {
                throw new IllegalStateException("addTotalsOnly expects a generator of originals only");
            }
            store(it);
        }
    }

    private void store(Generator.Item it) {
        fold(destinations, it);
        if (thirtyDays.contains(it.time())) {
            fold(inThirtyDays, it);
        }
        if (edged.contains(it.time())) {
            fold(windowed, it);
        }
    }

    private static void fold(Map<String, Destination> into, Generator.Item it) {
        Destination d = into.computeIfAbsent(it.destinationId(), k -> new Destination());
        d.count++;
        BigDecimal[] t = d.units.computeIfAbsent(it.unit(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        t[it.positive() ? 0 : 1] = t[it.positive() ? 0 : 1].add(it.value());
    }

    long storedRecords() {
        long n = 0;
        for (Destination d : destinations.values()) {
            n += d.count;
        }
        return n;
    }
}
