package dev.tally.bench;

import java.math.BigDecimal;
import java.util.Map;

/** Verification of aggregation totals against the expectation: exact, per destination and unit. */
final class Totals {

    private Totals() {}

    static boolean verify(Map<String, Http.Group> got, Map<String, Expectation.Destination> want, String what) {
        int bad = 0;
        if (got.size() != want.size()) {
            System.out.printf("  FAIL: %d groups, expected %d%n", got.size(), want.size());
            bad++;
        }
        for (Map.Entry<String, Expectation.Destination> e : want.entrySet()) {
            if (!matches(got.get(e.getKey()), e.getValue()) && bad++ < 5) {
                System.out.println("  FAIL: totals of " + e.getKey() + " differ from the expectation");
            }
        }
        System.out.println(
                bad == 0
                        ? "  verify aggregation totals, " + what + ": PASS (" + got.size() + " destinations, exact)"
                        : "  verify aggregation totals, " + what + ": FAIL");
        return bad == 0;
    }

    /** Same count, same units, and per unit the same positive and negative sums and their net. */
    private static boolean matches(Http.Group g, Expectation.Destination d) {
        if (g == null || g.recordCount() != d.count || g.units().size() != d.units.size()) {
            return false;
        }
        for (Map.Entry<String, BigDecimal[]> u : d.units.entrySet()) {
            BigDecimal[] actual = g.units().get(u.getKey());
            BigDecimal[] expected = u.getValue();
            boolean ok = actual != null
                    && actual[0].compareTo(expected[0]) == 0
                    && actual[1].compareTo(expected[1]) == 0
                    && actual[2].compareTo(expected[0].subtract(expected[1])) == 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
