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
                    Destination d = destinations.computeIfAbsent(it.destinationId(), k -> new Destination());
                    d.count++;
                    BigDecimal[] t = d.units.computeIfAbsent(it.unit(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    t[it.positive() ? 0 : 1] = t[it.positive() ? 0 : 1].add(it.value());
                }
            }
        }
        if (s.notificationIds.size() != s.accepted) {
            throw new IllegalStateException("generator produced a repeated original id");
        }
        return s;
    }

    long storedRecords() {
        long n = 0;
        for (Destination d : destinations.values()) {
            n += d.count;
        }
        return n;
    }
}
