package dev.tally.processing;

import dev.tally.config.BackgroundTask;
import dev.tally.config.RollupProperties;
import dev.tally.store.RollupStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds committed records to the totals rollups, after their write transaction instead of in it.
 *
 * <p>Why: the three rollup upserts (hour, day, week) were about half of PostgreSQL's work in the
 * write statement, and the write path is one writer in series with one backend
 * (docs/performance.md). Here they run beside it, on another connection, summed per bucket over
 * up to {@code tally.rollups.fold-records} records at a time instead of per transaction.
 *
 * <p>Exactly once: a round is one transaction that locks the watermark, adds the records with seq
 * in (watermark, last] to every level, and moves the watermark to {@code last}. Seqs are committed
 * in order (the sequencer lock), so every seq up to {@code last} is committed and visible; a crash
 * before the commit leaves rollups and watermark as they were, and the next round (of any
 * instance: the lock makes folders take turns) starts from the same place. The totals query reads
 * the watermark in its snapshot and adds the records above it ({@code query.AggregationQuery}),
 * so totals are exact whatever the folder's lag.
 */
@Component
public class RollupFolder extends BackgroundTask {

    private static final Logger log = LoggerFactory.getLogger(RollupFolder.class);

    /** Longest pause between rounds while the database keeps failing. */
    private static final long MAX_BACKOFF_MS = 5_000;

    private final RollupStore rollups;
    private final TransactionTemplate tx;
    private final RollupProperties properties;
    private final Timer rounds;
    private final Counter folded;
    private final Counter failures;
    private final AtomicLong lag = new AtomicLong();
    private long backoffMs;

    RollupFolder(RollupStore rollups, TransactionTemplate tx, RollupProperties properties, MeterRegistry meters) {
        super("tally-rollup-folder");
        this.rollups = rollups;
        this.tx = tx;
        this.properties = properties;
        this.rounds = Timer.builder("tally.rollups.fold")
                .description("One folding round: records added to every rollup level and the watermark moved")
                .register(meters);
        this.folded = Counter.builder("tally.rollups.folded")
                .description("Records added to the totals rollups")
                .register(meters);
        this.failures = Counter.builder("tally.rollups.fold.failures")
                .description("Folding rounds that failed (retried; nothing is lost)")
                .register(meters);
        Gauge.builder("tally.rollups.lag", lag, AtomicLong::get)
                .description(
                        "Committed records not yet in the totals rollups (the totals query reads them from the records)")
                .register(meters);
    }

    /**
     * One round: folds up to {@code fold-records} records in one transaction; returns the seqs
     * folded (0 when the rollups were up to date).
     */
    public long foldOnce() {
        long n = rounds.record(() -> tx.execute(status -> {
            long after = rollups.lockWatermark();
            long last = rollups.lastSeq(after, after + properties.foldRecords());
            if (last == after) {
                return 0L;
            }
            rollups.add(after, last);
            rollups.setWatermark(last);
            return last - after;
        }));
        folded.increment(n);
        return n;
    }

    /** Folds until the rollups hold every committed record; returns the seqs folded. */
    public long foldAll() {
        long total = 0;
        for (long n = foldOnce(); n > 0; n = foldOnce()) {
            total += n;
        }
        lag.set(rollups.lag());
        return total;
    }

    private void round() {
        long delayMs = properties.foldInterval().toMillis();
        try {
            long n = foldOnce();
            lag.set(rollups.lag());
            backoffMs = 0;
            if (n >= properties.foldRecords()) {
                delayMs = 0; // a backlog: keep going
            }
        } catch (RuntimeException e) {
            // The database being away (DataAccessException, or a TransactionException when no
            // connection can be had) or anything else: nothing was folded, the next round retries.
            failures.increment();
            backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(delayMs, backoffMs * 2));
            delayMs = backoffMs;
            log.warn("Folding records into the totals rollups failed; retrying in {} ms: {}", delayMs, e.toString());
        }
        ScheduledExecutorService s = scheduler();
        if (s != null && !s.isShutdown()) {
            s.schedule(this::round, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected boolean enabled() {
        return properties.folding();
    }

    @Override
    protected void schedule(ScheduledExecutorService scheduler) {
        scheduler.schedule(this::round, properties.foldInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
}
