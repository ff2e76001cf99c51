package dev.tally.outbox;

import dev.tally.config.BackgroundTask;
import dev.tally.config.OutboxProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Outbox retention: every {@code tally.outbox.prune-interval}, deletes messages older than
 * {@code tally.outbox.retention}, oldest first, {@code prune-batch} rows per statement (each its
 * own short transaction on a primary-key range, so writers are never held up). When Kafka is on,
 * only messages at or below the relay's confirmed position are deleted: an unpublished message is
 * never pruned, however old. Several instances may prune at once; deleting a deleted row is a no-op.
 */
@Component
class OutboxPruner extends BackgroundTask {

    private static final Logger log = LoggerFactory.getLogger(OutboxPruner.class);

    /** Bound on one round, so that a huge backlog is worked off over several rounds. */
    private static final int MAX_STATEMENTS_PER_ROUND = 1_000;

    private final OutboxStore outbox;
    private final RelayPositionStore positions;
    private final OutboxProperties properties;
    private final boolean kafkaOn;
    private final Clock clock;
    private final Counter pruned;

    OutboxPruner(
            OutboxStore outbox,
            RelayPositionStore positions,
            OutboxProperties properties,
            ObjectProvider<OutboxRelay> relay,
            Clock clock,
            MeterRegistry meters) {
        super("tally-outbox-pruner");
        this.outbox = outbox;
        this.positions = positions;
        this.properties = properties;
        this.kafkaOn = relay.getIfAvailable() != null;
        this.clock = clock;
        this.pruned = Counter.builder("tally.outbox.pruned")
                .description("Outbox messages deleted after the retention period")
                .register(meters);
    }

    /** One pruning round over both feeds; returns the rows deleted. */
    int pruneOnce() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = 0;
        for (Feed feed : Feed.values()) {
            long maxSeq = kafkaOn ? positions.published(feed) : Long.MAX_VALUE;
            for (int i = 0; i < MAX_STATEMENTS_PER_ROUND; i++) {
                int n = outbox.prune(feed, cutoff, maxSeq, properties.pruneBatch());
                total += n;
                if (n == 0) {
                    break;
                }
            }
        }
        pruned.increment(total);
        return total;
    }

    private void round() {
        try {
            int n = pruneOnce();
            if (n > 0) {
                log.info("Pruned {} outbox messages older than {}", n, properties.retention());
            }
        } catch (DataAccessException e) {
            log.warn("Outbox pruning failed; retrying next round: {}", e.toString());
        }
    }

    @Override
    protected boolean enabled() {
        return properties.pruning();
    }

    @Override
    protected void schedule(ScheduledExecutorService scheduler) {
        long everyMs = properties.pruneInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::round, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }
}
