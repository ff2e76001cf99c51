package dev.tally.outbox;

import dev.tally.config.BackgroundLoops;
import dev.tally.config.KafkaEnabled;
import dev.tally.config.TallyKafkaProperties;
import dev.tally.store.DeploymentStore;
import dev.tally.store.Dialect;
import dev.tally.store.LeaderLock;
import dev.tally.store.RelayPositionTable;
import dev.tally.store.SequencerStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Publishes the outbox to Kafka (SPEC §5), one publisher per feed, exactly once for consumers that
 * read {@code read_committed}.
 *
 * <p><b>How exactly-once is achieved.</b> Each feed's publisher uses a Kafka transaction that
 * contains a batch of messages (seq P+1..Q, in seq order) AND a record "pair → Q" on the compacted
 * relay-positions topic. Both become visible together or not at all, so the position of record
 * always names exactly the messages a read_committed consumer can see. A publisher (re)starts with
 * {@code initTransactions()} under its transactional.id, which aborts any transaction a previous
 * publisher left open and fences that publisher (a zombie's later commit fails), then reads the
 * position read_committed and continues from it. Because seqs are gapless and assigned in commit
 * order (see {@code UnitOfWork}), "everything after P" never skips a row committed late.
 *
 * <p><b>Whose position.</b> The position key and the transactional.id are
 * {@code <deployment>/<topic>}: the database's deployment identity (V8, {@link DeploymentStore})
 * and the target topic. A Kafka cluster that outlives a database, or serves several, therefore
 * never hands one database's position to another, and two deployments never fence each other; a
 * new (deployment, topic) pair starts from the oldest message the outbox holds.
 *
 * <p><b>Never after a position the database does not hold</b> ({@link RelayStart}): a database
 * restored behind its published position would hand those seqs out again, and continuing after
 * the position would skip them. The feed then stalls (metric {@code tally.kafka.relay.stalled},
 * the {@code relay} health component, an ERROR log with both numbers), remembered in the database,
 * until an operator resumes it ({@link RelayEndpoint}); it then continues after the database's copy
 * of the position, publishing again what was published after it (consumers drop it by messageId).
 *
 * <p><b>Order.</b> Key = destinationId, so one destination's messages land in one partition; a
 * batch is sent in seq order by one idempotent producer and batches follow one another: per
 * destination, the topic order is the processing order.
 *
 * <p><b>One publisher per feed.</b> A PostgreSQL advisory lock per feed ({@link LeaderLock})
 * makes instances take turns instead of fencing each other back and forth; safety does not depend
 * on it (fencing does that). The database copy of the position ({@link RelayPositionTable}) is
 * written after each commit, never ahead of Kafka; it bounds pruning and the lag metric, and is
 * the fallback if the positions topic was lost (then messages after that copy may be published
 * twice: the only case where the guarantee degrades to at-least-once).
 *
 * <p><b>Outage.</b> Any Kafka or database failure ends the publisher's session (producer closed,
 * lock released) and it starts again after a capped exponential back-off; records keep being
 * accepted meanwhile and simply wait in the outbox.
 *
 * <p><b>Who does what.</b> This class is the lifecycle: it wires, per feed, a {@link FeedPublisher}
 * (the session: position, outbox pages, Kafka transactions) with its {@link FeedLeadership} (the
 * lock), and runs each publisher and the {@link RelayMonitor}'s refresh (gauges, health, endpoint)
 * as {@link BackgroundLoops background loops}; the Kafka clients are {@link RelayClients}'s, the
 * positions topic is {@link PositionsTopic}'s.
 */
@Component
@Conditional(KafkaEnabled.class)
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    private final TallyKafkaProperties kafka;
    private final RelayMonitor monitor;
    private final List<FeedPublisher> publishers = new ArrayList<>();
    private final List<BackgroundLoops.Loop> publisherLoops = new ArrayList<>();
    private final BackgroundLoops.Loop lagLoop;
    private volatile boolean running;

    OutboxRelay(
            DataSource dataSource,
            OutboxStore outbox,
            RelayPositionTable positions,
            SequencerStore sequencer,
            DeploymentStore deployment,
            KafkaProperties boot,
            TallyKafkaProperties kafka,
            BackgroundLoops loops,
            MeterRegistry meters,
            Clock clock) {
        this.kafka = kafka;
        Dialect dialect = Dialect.of(dataSource);
        RelayClients clients =
                new RelayClients(boot.buildProducerProperties(), boot.buildConsumerProperties(), kafka.relay(), meters);
        KafkaTopics topics = new KafkaTopics(boot.buildAdminProperties(), kafka);
        PositionsTopic positionsTopic = new PositionsTopic(clients, topics, kafka);
        this.monitor = new RelayMonitor(sequencer, positions, outbox, this::topicOf, clock, meters);
        for (Feed feed : Feed.values()) {
            FeedPublisher p = new FeedPublisher(
                    feed,
                    topicOf(feed),
                    new FeedLeadership(dataSource, dialect, feed, monitor),
                    clients,
                    positionsTopic,
                    topics,
                    outbox,
                    positions,
                    sequencer,
                    deployment,
                    monitor,
                    kafka,
                    clock,
                    meters);
            publishers.add(p);
            ExponentialBackOff backOff = new ExponentialBackOff(FIRST_BACKOFF.toMillis(), 2.0);
            backOff.setMaxInterval(kafka.relay().retryMax().toMillis());
            publisherLoops.add(loops.loop("tally-relay-" + feed.column(), backOff, p::step, p::failed));
        }
        // The lag is refreshed by its own loop from the database copy of the positions: the
        // publishers spend an outage inside (bounded) Kafka calls, which is exactly when the
        // metric matters, and standbys publish nothing at all.
        this.lagLoop = loops.loop(
                "tally-relay-lag",
                new FixedBackOff(LAG_REFRESH.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS),
                () -> {
                    monitor.refreshAll();
                    return LAG_REFRESH;
                },
                // A bug, not an operating condition (refreshAll keeps the last values while the database is away).
                (e, retryIn) -> log.error("Refreshing the relay lag failed", e));
    }

    String topicOf(Feed feed) {
        return feed == Feed.NOTIFICATIONS
                ? kafka.topics().notifications()
                : kafka.topics().alerts();
    }

    /** Each feed's state, as the health component and the endpoint show it. */
    List<RelayMonitor.FeedStatus> status() {
        return monitor.status();
    }

    @Override
    public void start() {
        running = true;
        lagLoop.start(Duration.ZERO);
        for (BackgroundLoops.Loop loop : publisherLoops) {
            loop.start(Duration.ZERO);
        }
    }

    /**
     * Stops the loops: a step in progress (one page, or a bounded Kafka call) gets the poll
     * interval plus 2 s, then is interrupted (safe: the open transaction is aborted by the next
     * publisher's initTransactions()); then each session ends, releasing its lock.
     */
    @Override
    public void stop() {
        running = false;
        lagLoop.stop(Duration.ZERO, kafka.relay().requestTimeout());
        for (int i = 0; i < publishers.size(); i++) {
            if (publisherLoops
                    .get(i)
                    .stop(
                            kafka.relay().pollInterval().plusSeconds(2),
                            kafka.relay().requestTimeout())) {
                publishers.get(i).endSession();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
