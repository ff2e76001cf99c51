package dev.tally.bench;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    final Map<String, Destination> destinations = new TreeMap<>();

    /**
     * A window whose ends are not on whole hours, so that the service's hourly totals must be
     * completed from records at both edges; {@link #windowed} is what it must sum.
     */
    static final java.time.Instant WINDOW_FROM =
            Generator.EPOCH.plusSeconds(3 * 86_400 + 1_234).plusMillis(567);

    static final java.time.Instant WINDOW_TO =
            Generator.EPOCH.plusSeconds(27 * 86_400 + 2_345).plusMillis(89);
    final Map<String, Destination> windowed = new TreeMap<>();

    Scenario add(Generator g, int items) {
        Scenario s = new Scenario();
        for (int i = 0; i < items; i++) {
            Generator.Item it = g.item(i);
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
                    fold(destinations, it);
                    if (!it.time().isBefore(WINDOW_FROM) && it.time().isBefore(WINDOW_TO)) {
                        fold(windowed, it);
                    }
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
            fold(destinations, it);
            if (!it.time().isBefore(WINDOW_FROM) && it.time().isBefore(WINDOW_TO)) {
                fold(windowed, it);
            }
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
