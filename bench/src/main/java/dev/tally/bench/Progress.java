package dev.tally.bench;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** A progress line on stderr, redrawn at most every two seconds. */
final class Progress {
    private final String name;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastPrint = System.nanoTime();

    Progress(String name, long total) {
        this.name = name;
        this.total = total;
    }

    void add(long n) {
        set(done.addAndGet(n));
    }

    void set(long value) {
        done.set(value);
        long now = System.nanoTime();
        if (now - lastPrint > 2_000_000_000L) {
            lastPrint = now;
            print(value, now);
        }
    }

    private void print(long value, long now) {
        double s = (now - start) / 1e9;
        int width = 30;
        int filled = (int) (width * Math.min(1.0, value / (double) total));
        System.err.printf(
                Locale.ROOT,
                "\r  %-14s [%s%s] %,d/%,d  %,.0f/s  %.0f s   ",
                name,
                "#".repeat(filled),
                ".".repeat(width - filled),
                value,
                total,
                value / Math.max(s, 1e-9),
                s);
    }

    void done() {
        long now = System.nanoTime();
        print(done.get(), now);
        System.err.println();
    }
}
