package dev.tally.outbox;

import dev.tally.config.BackgroundLoops;
import dev.tally.config.OutboxProperties;
import dev.tally.store.RelayPositionTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Outbox retention: every {@code tally.outbox.prune-interval}, deletes alerts older than
 * {@code tally.outbox.retention}, oldest first, {@code prune-batch} rows per statement (each its
 * own short transaction on a primary-key range, so writers are never held up). When Kafka is on,
 * only messages at or below the relay's confirmed position are deleted: an unpublished message is
 * never pruned, however old. Several instances may prune at once; deleting a deleted row is a no-op.
 * A failed round is logged and the next one, a {@code prune-interval} later, tries again.
 *
 * <p>Notifications are not pruned: since migration V10 a notification is its record's row, kept
 * as long as the record, so the notifications feed can be read from the start at any time.
 */
@Component
class OutboxPruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxPruner.class);

    /** Bound on one round, so that a huge backlog is worked off over several rounds. */
    private static final int MAX_STATEMENTS_PER_ROUND = 1_000;

    private final OutboxStore outbox;
    private final RelayPositionTable positions;
    private final OutboxProperties properties;
    private final boolean kafkaOn;
    private final Clock clock;
    private final Counter pruned;
    private final BackgroundLoops.Loop loop;

    OutboxPruner(
            OutboxStore outbox,
            RelayPositionTable positions,
            OutboxProperties properties,
            ObjectProvider<OutboxRelay> relay,
            Clock clock,
            BackgroundLoops loops,
            MeterRegistry meters) {
        this.outbox = outbox;
        this.positions = positions;
        this.properties = properties;
        this.kafkaOn = relay.getIfAvailable() != null;
        this.clock = clock;
        this.pruned = Counter.builder("tally.outbox.pruned")
                .description("Outbox messages deleted after the retention period")
                .register(meters);
        this.loop = loops.loop(
                "tally-outbox-pruner",
                new FixedBackOff(properties.pruneInterval().toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS),
                this::round,
                (e, retryIn) ->
                        log.warn("Outbox pruning failed; retrying in {} ms: {}", retryIn.toMillis(), e.toString()));
    }

    /** One pruning round over the alerts; returns the rows deleted. */
    int pruneOnce() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = 0;
        long maxSeq = kafkaOn ? positions.published(Feed.ALERTS.column()) : Long.MAX_VALUE;
        for (int i = 0; i < MAX_STATEMENTS_PER_ROUND; i++) {
            int n = outbox.pruneAlerts(cutoff, maxSeq, properties.pruneBatch());
            total += n;
            if (n == 0) {
                break;
            }
        }
        pruned.increment(total);
        return total;
    }

    private Duration round() {
        int n = pruneOnce();
        if (n > 0) {
            log.info("Pruned {} outbox messages older than {}", n, properties.retention());
        }
        return properties.pruneInterval();
    }

    @Override
    public void start() {
        if (properties.pruning()) {
            loop.start(properties.pruneInterval());
        }
    }

    /** A round is short statements on primary-key ranges: it gets a moment to end, then an interrupt. */
    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }
}
