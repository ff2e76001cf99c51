package dev.tally.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per item of a steady run, in {@code System.nanoTime()}: when it was scheduled, sent and
 * answered (0: not yet), when its notification was read, and the latency scheduled -> read (-1:
 * not seen). Second 0 of the run is {@link #t0}, which was {@link #wallStart} on the wall clock.
 */
final class SteadyTimes {

    /** Notifications slower than this are "late" in the diagnostics (the target's p99). */
    static final long LATE_NS = 100_000_000L;

    final int items;
    final long t0;
    final Instant wallStart;
    final AtomicLongArray scheduledNs;
    final AtomicLongArray sentNs;
    final AtomicLongArray answeredNs;
    final long[] readNs;
    final long[] latencyNs;
    final AtomicLong seen = new AtomicLong();

    SteadyTimes(int items, long startInNs) {
        this.items = items;
        this.t0 = System.nanoTime() + startInNs;
        this.wallStart = Instant.now().plusNanos(startInNs);
        this.scheduledNs = new AtomicLongArray(items);
        this.sentNs = new AtomicLongArray(items);
        this.answeredNs = new AtomicLongArray(items);
        this.readNs = new long[items];
        this.latencyNs = new long[items];
        Arrays.fill(latencyNs, -1);
    }

    /** The poller read item {@code i}'s notification at {@code now}. */
    void read(int i, long now) {
        readNs[i] = now;
        latencyNs[i] = now - scheduledNs.get(i);
        seen.incrementAndGet();
    }

    boolean allSeen() {
        return seen.get() >= items;
    }

    long missing() {
        return Arrays.stream(latencyNs).filter(l -> l < 0).count();
    }

    /** The second of the run item {@code i} was scheduled in. */
    long second(int i) {
        return (scheduledNs.get(i) - t0) / 1_000_000_000L;
    }
}
