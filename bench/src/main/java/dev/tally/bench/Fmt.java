package dev.tally.bench;

import java.util.Arrays;
import java.util.Locale;

/** How the figures are written, and the percentiles they come from. */
final class Fmt {

    private Fmt() {}

    static String rate(double r) {
        return String.format(Locale.ROOT, "%,.0f", r);
    }

    /** Kilobytes as megabytes; a negative reading is "n/a". */
    static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", kb / 1024);
    }

    static String ms(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    static String pct(long[] ns, int p) {
        return ms(pctNs(ns, p));
    }

    /** The {@code p}-th percentile (nearest rank) of the non-negative values; -1 if there are none. */
    static long pctNs(long[] ns, int p) {
        long[] s = Arrays.stream(ns).filter(v -> v >= 0).sorted().toArray();
        if (s.length == 0) {
            return -1;
        }
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static double secondsSince(long startNs) {
        return (System.nanoTime() - startNs) / 1e9;
    }
}
