package dev.tally.bench;

import java.util.Locale;

/** Outcome counts as the service answered them: accepted, duplicate, conflict, invalid. */
final class Outcomes {

    private final long[] counts = new long[4];

    synchronized void add(long[] c) {
        for (int k = 0; k < 4; k++) {
            counts[k] += c[k];
        }
    }

    /** Prints and returns whether the counts are exactly the expectation's. */
    synchronized boolean verify(String what, Expectation.Scenario e) {
        long[] c = counts;
        boolean ok = c[0] == e.accepted && c[1] == e.duplicate && c[2] == e.conflict && c[3] == e.invalid;
        System.out.printf(
                Locale.ROOT,
                "  verify %s: %s (accepted %,d/%,d duplicate %,d/%,d conflict %,d/%,d invalid %,d/%,d)%n",
                what,
                Report.verdict(ok),
                c[0],
                e.accepted,
                c[1],
                e.duplicate,
                c[2],
                e.conflict,
                c[3],
                e.invalid);
        return ok;
    }
}
