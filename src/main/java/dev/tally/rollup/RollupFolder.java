package dev.tally.rollup;

import dev.tally.config.BackgroundLoops;
import dev.tally.store.RollupStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

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
public class RollupFolder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RollupFolder.class);

    /** Longest pause between rounds while the database keeps failing. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RollupStore rollups;
    private final TransactionTemplate tx;
    private final RollupProperties properties;
    private final Timer rounds;
    private final Counter folded;
    private final Counter failures;
    private final AtomicLong lag = new AtomicLong();
    private final BackgroundLoops.Loop loop;

    RollupFolder(
            RollupStore rollups,
            TransactionTemplate tx,
            RollupProperties properties,
            BackgroundLoops loops,
            MeterRegistry meters) {
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
        // A failing database: the first retry after fold-interval, then twice as long each time, up to 5 s.
        ExponentialBackOff backOff =
                new ExponentialBackOff(properties.foldInterval().toMillis(), 2.0);
        backOff.setMaxInterval(MAX_BACKOFF.toMillis());
        this.loop = loops.loop("tally-rollup-folder", backOff, this::round, (e, retryIn) -> {
            // The database being away (DataAccessException, or a TransactionException when no
            // connection can be had) or anything else: nothing was folded, the next round retries.
            failures.increment();
            log.warn(
                    "Folding records into the totals rollups failed; retrying in {} ms: {}",
                    retryIn.toMillis(),
                    e.toString());
        });
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

    private Duration round() {
        long n = foldOnce();
        lag.set(rollups.lag());
        // A full round means a backlog: keep going.
        return n >= properties.foldRecords() ? Duration.ZERO : properties.foldInterval();
    }

    @Override
    public void start() {
        if (properties.folding()) {
            loop.start(properties.foldInterval());
        }
    }

    /** A round is one transaction of at most fold-records: it gets a moment to end, then an interrupt. */
    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }
}
