package dev.tally.outbox;

import dev.tally.config.BackgroundTask;
import dev.tally.config.KafkaEnabled;
import dev.tally.config.TallyKafkaProperties;
import dev.tally.store.DeploymentStore;
import dev.tally.store.Dialect;
import dev.tally.store.LeaderLock;
import dev.tally.store.SequencerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the outbox to Kafka (SPEC §5), one publisher thread per feed, exactly once for
 * consumers that read {@code read_committed}.
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
 * on it (fencing does that). The database copy of the position ({@link RelayPositionStore}) is
 * written after each commit, never ahead of Kafka; it bounds pruning and the lag metric, and is
 * the fallback if the positions topic was lost (then messages after that copy may be published
 * twice: the only case where the guarantee degrades to at-least-once).
 *
 * <p><b>Outage.</b> Any Kafka or database failure ends the publisher's session (producer closed,
 * lock released) and it starts again after a capped exponential back-off; records keep being
 * accepted meanwhile and simply wait in the outbox.
 */
@Component
@Conditional(KafkaEnabled.class)
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    static final String HEADER_MESSAGE_ID = "messageId";
    static final String HEADER_TYPE = "type";
    static final String HEADER_SEQ = "seq";

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final long LAG_REFRESH_MS = 1_000;
    /** How often a stalled publisher looks for an operator's resume. */
    private static final Duration STALL_CHECK = Duration.ofMillis(500);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private volatile ScheduledExecutorService lagRefresher;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final OutboxStore outbox;
    private final RelayPositionStore positions;
    private final SequencerStore sequencer;
    private final DeploymentStore deployment;
    private final TallyKafkaProperties kafka;
    private final Map<String, Object> producerProperties;
    private final Map<String, Object> consumerProperties;
    private final KafkaTopics topics;
    private final Clock clock;
    private final List<FeedPublisher> publishers = new ArrayList<>();
    private volatile boolean running;

    OutboxRelay(
            DataSource dataSource,
            OutboxStore outbox,
            RelayPositionStore positions,
            SequencerStore sequencer,
            DeploymentStore deployment,
            KafkaProperties boot,
            TallyKafkaProperties kafka,
            MeterRegistry meters,
            Clock clock) {
        this.dataSource = dataSource;
        this.dialect = Dialect.of(dataSource);
        this.outbox = outbox;
        this.positions = positions;
        this.sequencer = sequencer;
        this.deployment = deployment;
        this.kafka = kafka;
        this.clock = clock;
        this.producerProperties = producerProperties(boot.buildProducerProperties(), kafka.relay());
        this.consumerProperties = positionConsumerProperties(boot.buildConsumerProperties());
        this.topics = new KafkaTopics(boot.buildAdminProperties(), kafka);
        for (Feed feed : Feed.values()) {
            publishers.add(new FeedPublisher(feed, meters));
        }
    }

    private static Map<String, Object> producerProperties(Map<String, Object> base, TallyKafkaProperties.Relay relay) {
        Map<String, Object> p = new HashMap<>(base);
        int timeoutMs = (int) relay.requestTimeout().toMillis();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeoutMs + 100);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Back-to-back transactions often meet CONCURRENT_TRANSACTIONS while the broker finishes the
        // previous commit; the default 100 ms back-off would cap the relay at ~10 transactions/s.
        p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        return p;
    }

    private static Map<String, Object> positionConsumerProperties(Map<String, Object> base) {
        Map<String, Object> p = new HashMap<>(base);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        return p;
    }

    String topicOf(Feed feed) {
        return feed == Feed.NOTIFICATIONS
                ? kafka.topics().notifications()
                : kafka.topics().alerts();
    }

    /**
     * What an instance knows of a feed, refreshed every second from the database (so standbys
     * report a stall too); null fields until the first refresh.
     *
     * @param lastSeq  the last seq the database handed out
     * @param database the feed's relay_position row
     * @param leader   whether this instance publishes the feed
     */
    record FeedStatus(Feed feed, String topic, Long lastSeq, RelayPositionStore.Row database, boolean leader) {

        boolean stalled() {
            return database != null && database.stalled();
        }
    }

    List<FeedStatus> status() {
        List<FeedStatus> out = new ArrayList<>();
        for (FeedPublisher p : publishers) {
            SequencerStore.Positions current = p.lastRead;
            Long last = current == null ? null : p.lastSeq(current);
            out.add(new FeedStatus(p.feed, topicOf(p.feed), last, p.row, p.leader.get() == 1));
        }
        return out;
    }

    @Override
    public void start() {
        running = true;
        // The lag is refreshed by its own thread from the database copy of the positions: the
        // publishers spend an outage inside (bounded) Kafka calls, which is exactly when the
        // metric matters, and standbys publish nothing at all.
        lagRefresher = BackgroundTask.daemonScheduler("tally-relay-lag");
        lagRefresher.scheduleWithFixedDelay(
                () -> {
                    try {
                        refreshLags();
                    } catch (RuntimeException e) {
                        // A bug, not an operating condition: an exception would end the schedule, so shout and go on.
                        log.error("Refreshing the relay lag failed", e);
                    }
                },
                0,
                LAG_REFRESH_MS,
                TimeUnit.MILLISECONDS);
        for (FeedPublisher p : publishers) {
            Thread t = new Thread(p, "tally-relay-" + p.feed.column());
            t.setDaemon(true);
            p.thread = t;
            t.start();
        }
    }

    /** Every feed's lag from one read of the sequencer. */
    private void refreshLags() {
        try {
            SequencerStore.Positions current = sequencer.current();
            for (FeedPublisher p : publishers) {
                p.refreshLag(current);
            }
        } catch (DataAccessException e) {
            // The database is away: the lag is unknown, keep the last values rather than guess.
            log.debug("Relay lag not refreshed", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (lagRefresher != null) {
            lagRefresher.shutdownNow();
        }
        for (FeedPublisher p : publishers) {
            join(p.thread, kafka.relay().pollInterval().plusSeconds(2));
        }
        for (FeedPublisher p : publishers) {
            if (p.thread != null && p.thread.isAlive()) {
                // Stuck in a blocking Kafka call: interrupting is safe, the open transaction is
                // aborted by the next publisher's initTransactions().
                p.thread.interrupt();
                join(p.thread, kafka.relay().requestTimeout());
            }
        }
    }

    private static void join(Thread t, Duration timeout) {
        if (t == null) {
            return;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The relay of one feed: take the feed's lock, publish while holding it, start over after a failure. */
    private final class FeedPublisher implements Runnable {

        private final Feed feed;
        private final Counter published;
        private final Counter failures;
        private final AtomicLong lag = new AtomicLong();
        private final AtomicLong leader = new AtomicLong();
        private final AtomicLong stalled = new AtomicLong();
        private volatile SequencerStore.Positions lastRead;
        private volatile RelayPositionStore.Row row;
        private volatile Thread thread;

        FeedPublisher(Feed feed, MeterRegistry meters) {
            this.feed = feed;
            this.published = Counter.builder("tally.kafka.relay.published")
                    .description("Messages published to Kafka by this instance (committed transactions)")
                    .tag("feed", feed.column())
                    .register(meters);
            this.failures = Counter.builder("tally.kafka.relay.failures")
                    .description("Relay sessions ended by a Kafka or database failure")
                    .tag("feed", feed.column())
                    .register(meters);
            Gauge.builder("tally.kafka.relay.lag", lag, AtomicLong::get)
                    .description("Messages in the outbox not yet published: last seq minus published position")
                    .tag("feed", feed.column())
                    .register(meters);
            Gauge.builder("tally.kafka.relay.leader", leader, AtomicLong::get)
                    .description("1 while this instance is the feed's publisher")
                    .tag("feed", feed.column())
                    .register(meters);
            Gauge.builder("tally.kafka.relay.stalled", stalled, AtomicLong::get)
                    .description("1 while the feed is not published because Kafka's position is not in this database"
                            + " (restored behind it); resume with POST /actuator/relay/{feed}/resume")
                    .tag("feed", feed.column())
                    .register(meters);
        }

        @Override
        public void run() {
            Duration backoff = FIRST_BACKOFF;
            while (running) {
                Optional<LeaderLock.Held> lock;
                try {
                    lock = LeaderLock.tryAcquire(dataSource, dialect, feed.ordinal() + 1);
                } catch (SQLException | DataAccessException e) {
                    log.warn("Relay {}: cannot reach the database for the leader lock; retrying", feed.column(), e);
                    pause(kafka.relay().leaderRetry());
                    continue;
                }
                if (lock.isEmpty()) {
                    pause(kafka.relay().leaderRetry());
                    continue;
                }
                try (LeaderLock.Held held = lock.get()) {
                    leader.set(1);
                    publishWhileLeader(held);
                    backoff = FIRST_BACKOFF;
                } catch (KafkaException | DataAccessException e) {
                    failures.increment();
                    log.warn(
                            "Relay {}: {}; the outbox keeps the messages, retrying in {} ms",
                            feed.column(),
                            e.toString(),
                            backoff.toMillis());
                    log.debug("Relay {} failure", feed.column(), e);
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), kafka.relay().retryMax());
                } catch (RuntimeException e) {
                    // A bug, not an operating condition; keep the relay alive and shout.
                    failures.increment();
                    log.error(
                            "Relay {} failed unexpectedly; retrying in {} ms",
                            feed.column(),
                            kafka.relay().retryMax().toMillis(),
                            e);
                    pause(kafka.relay().retryMax());
                } finally {
                    leader.set(0);
                }
            }
        }

        private void publishWhileLeader(LeaderLock.Held held) {
            topics.ensure();
            String key = deployment.deploymentId() + "/" + topicOf(feed);
            KafkaProducer<String, String> producer = new KafkaProducer<>(withTransactionalId(key));
            try {
                producer.initTransactions(); // fences the previous publisher, aborts its open transaction
                long position = startPosition(key);
                if (position < 0) {
                    position = awaitResume(producer, held, key);
                    if (position < 0) {
                        return;
                    }
                }
                while (running && held.stillHeld()) {
                    List<OutboxMessage> page =
                            outbox.page(feed, position, kafka.relay().batchMessages());
                    if (page.isEmpty()) {
                        long last = lastSeq(sequencer.current());
                        if (last < position) {
                            // The database was replaced under this session by one that is behind
                            // (restored): its next seqs would look like the continuation.
                            stall(
                                    key,
                                    new RelayStart.Stall(
                                            position,
                                            last,
                                            Math.min(positions.published(feed), last),
                                            "the database's last seq went behind it while publishing"));
                            position = awaitResume(producer, held, key);
                            if (position < 0) {
                                return;
                            }
                            continue;
                        }
                        pause(kafka.relay().pollInterval());
                        continue;
                    }
                    if (page.get(0).seq() != position + 1) {
                        log.error(
                                "Relay {}: seqs {}..{} are missing from the outbox (pruned before publication?)",
                                feed.column(),
                                position + 1,
                                page.get(0).seq() - 1);
                    }
                    long last = publish(producer, key, page);
                    position = last;
                    published.increment(page.size());
                    positions.advance(feed, position, clock.instant());
                }
            } finally {
                producer.close(kafka.relay().requestTimeout());
            }
        }

        /**
         * One Kafka transaction: the messages in seq order, then the feed's new position.
         *
         * <p>Each {@code send} may block up to {@code max.block.ms} (for metadata) when the broker
         * has just gone, and returns a failed future instead of throwing; a page of hundreds of
         * sends would then wait hundreds of times that while the lag metric and shutdown wait on
         * this thread. So the first failed send ends the page, and the page as a whole has the
         * request timeout; the open transaction is aborted by the next {@code initTransactions()}.
         */
        private long publish(KafkaProducer<String, String> producer, String key, List<OutboxMessage> page) {
            String topic = topicOf(feed);
            AtomicReference<Exception> failed = new AtomicReference<>();
            Callback firstFailure = (metadata, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            };
            long deadline = System.nanoTime() + kafka.relay().requestTimeout().toNanos();
            producer.beginTransaction();
            for (OutboxMessage m : page) {
                if (failed.get() != null) {
                    throw new KafkaException("A send to " + topic + " failed: " + failed.get(), failed.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("Sending " + page.size() + " messages to " + topic + " took longer than "
                            + kafka.relay().requestTimeout());
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add(HEADER_MESSAGE_ID, m.messageId().getBytes(StandardCharsets.UTF_8));
                headers.add(HEADER_TYPE, feed.messageType().getBytes(StandardCharsets.UTF_8));
                headers.add(HEADER_SEQ, Long.toString(m.seq()).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, null, m.destinationId(), m.payload(), headers), firstFailure);
            }
            OutboxMessage last = page.get(page.size() - 1);
            producer.send(positionRecord(key, new RelayStart.Position(last.seq(), last.messageId())));
            producer.commitTransaction(); // throws if any send failed: nothing of this batch is visible then
            return last.seq();
        }

        private ProducerRecord<String, String> positionRecord(String key, RelayStart.Position position) {
            return new ProducerRecord<>(
                    kafka.topics().relayPositions(),
                    feed.ordinal(),
                    key,
                    JSON.createObjectNode()
                            .put("seq", position.seq())
                            .put("messageId", position.messageId())
                            .toString());
        }

        /**
         * Where this session continues, decided by {@link RelayStart} from the position of record
         * (read read_committed after initTransactions()) and the database; -1 if the feed is
         * stalled. The database is read last seq first, so that a message committed meanwhile has a
         * higher seq than every one the decision looked at.
         */
        private long startPosition(String key) {
            Optional<RelayStart.Position> inKafka = readPositionFromKafka(key);
            long last = lastSeq(sequencer.current());
            RelayPositionStore.Row db = positions.row(feed);
            Optional<String> idAtKafkaSeq = inKafka.isPresent() && inKafka.get().seq() > 0
                    ? outbox.messageIdAt(feed, inKafka.get().seq())
                    : Optional.empty();
            OptionalLong oldest = outbox.oldestSeq(feed);
            RelayStart.Decision decision =
                    RelayStart.decide(new RelayStart.Inputs(key, inKafka, db, last, idAtKafkaSeq, oldest));
            if (decision instanceof RelayStart.Stall stall) {
                stall(key, stall);
                return -1;
            }
            RelayStart.Publish publish = (RelayStart.Publish) decision;
            long after = publish.afterSeq();
            switch (publish.reason()) {
                case KAFKA_POSITION ->
                    log.info("Relay {}: publishing to {} after seq {}", feed.column(), topicOf(feed), after);
                case DATABASE_AHEAD ->
                    log.warn(
                            "Relay {}: the positions topic says {} but the database copy says {};"
                                    + " publishing to {} after {} (messages up to it are not published again)",
                            feed.column(),
                            inKafka.map(RelayStart.Position::seq).orElse(0L),
                            after,
                            topicOf(feed),
                            after);
                case POSITIONS_LOST ->
                    log.warn(
                            "Relay {}: no position for {} on {} (the topic was lost?); publishing"
                                    + " after the database copy, seq {}: messages published after it are published again",
                            feed.column(),
                            key,
                            kafka.topics().relayPositions(),
                            after);
                case NEW_PAIR ->
                    log.info(
                            "Relay {}: {} is new on this cluster; publishing to {} from the oldest message"
                                    + " in the outbox, after seq {}",
                            feed.column(),
                            key,
                            topicOf(feed),
                            after);
            }
            positions.claim(feed, key, after, clock.instant());
            refreshStatus();
            return after;
        }

        /** Records the stall in the database (restarts and other instances see it) and says why, with both numbers. */
        private void stall(String key, RelayStart.Stall stall) {
            positions.stall(feed, key, stall.kafkaPosition(), stall.resumeAfter(), clock.instant());
            stalled.set(1);
            refreshStatus();
            log.error(
                    "Relay {}: NOT publishing to {}: the positions topic says seq {} was published; this"
                            + " database's last seq is {}: {}. Continuing after {} would skip this database's messages that"
                            + " get (or got) those seqs. To publish again after seq {} (the database's copy of the position;"
                            + " what was published after it comes again, consumers drop repeats by messageId): POST"
                            + " /actuator/relay/{}/resume",
                    feed.column(),
                    topicOf(feed),
                    stall.kafkaPosition(),
                    stall.lastSeq(),
                    stall.why(),
                    stall.kafkaPosition(),
                    stall.resumeAfter(),
                    feed.column());
        }

        /**
         * Waits, holding the lock, for an operator's resume; then moves the position of record back
         * to the database copy (one Kafka transaction with only the position, so that a restart does
         * not stall again) and returns it. -1 if the session ends first.
         */
        private long awaitResume(KafkaProducer<String, String> producer, LeaderLock.Held held, String key) {
            long remindAt = System.nanoTime() + kafka.relay().stallReminder().toNanos();
            while (running && held.stillHeld()) {
                RelayPositionStore.Row db = positions.row(feed);
                if (!db.stalled()) {
                    return -1; // cleared by hand: decide afresh in a new session
                }
                if (System.nanoTime() > remindAt && !db.resumeRequested()) {
                    // A stall lasts until someone acts: one line at its start is too easy to miss.
                    log.error(
                            "Relay {}: still NOT publishing to {}: the positions topic says seq {} was published,"
                                    + " this database's last seq is {}. To publish after seq {}: POST /actuator/relay/{}/resume",
                            feed.column(),
                            topicOf(feed),
                            db.stalledPosition(),
                            lastSeq(sequencer.current()),
                            db.publishedSeq(),
                            feed.column());
                    remindAt = System.nanoTime() + kafka.relay().stallReminder().toNanos();
                }
                if (db.resumeRequested()) {
                    long after = db.publishedSeq(); // set at the stall: never ahead of the last seq
                    Optional<String> id = after > 0 ? outbox.messageIdAt(feed, after) : Optional.empty();
                    producer.beginTransaction();
                    producer.send(positionRecord(key, new RelayStart.Position(after, id.orElse(null))));
                    producer.commitTransaction();
                    positions.claim(feed, key, after, clock.instant());
                    stalled.set(0);
                    refreshStatus();
                    log.warn(
                            "Relay {}: resumed by an operator: publishing to {} after seq {} (the positions topic said"
                                    + " {}); messages published before after that seq come again, consumers drop repeats by"
                                    + " messageId",
                            feed.column(),
                            topicOf(feed),
                            after,
                            db.stalledPosition());
                    return after;
                }
                pause(STALL_CHECK);
            }
            return -1;
        }

        /**
         * The pair's last position on the positions topic, read read_committed. The read goes up to
         * the high watermark taken now: this publisher's own transactions were all decided by
         * initTransactions(), and other deployments' transactions on the partition that are still
         * open end within their timeout; stopping at the last stable offset instead could miss
         * this pair's newest position behind another producer's open transaction. The last record
         * of the key wins (a resume moves it back).
         */
        private Optional<RelayStart.Position> readPositionFromKafka(String key) {
            TopicPartition tp = new TopicPartition(kafka.topics().relayPositions(), feed.ordinal());
            Duration timeout = kafka.relay().requestTimeout();
            long deadline = System.nanoTime() + timeout.multipliedBy(4).toNanos();
            long end = topics.highWatermark(tp);
            RelayStart.Position found = null;
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                while (consumer.position(tp, timeout) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new KafkaException("Reading the relay position of " + key + " timed out at offset "
                                + consumer.position(tp, timeout) + " of " + end + " (another producer's transaction"
                                + " on " + tp + " still open?)");
                    }
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        if (key.equals(r.key())) {
                            found = r.value() == null ? null : parsePosition(r.value());
                        }
                    }
                }
            }
            return Optional.ofNullable(found);
        }

        private RelayStart.Position parsePosition(String value) {
            try {
                JsonNode n = JSON.readTree(value);
                JsonNode id = n.get("messageId");
                return new RelayStart.Position(n.get("seq").asLong(), id == null || id.isNull() ? null : id.asString());
            } catch (JacksonException | NullPointerException e) {
                throw new IllegalStateException(
                        "Relay " + feed.column() + ": unreadable position " + value + " on "
                                + kafka.topics().relayPositions(),
                        e);
            }
        }

        private Map<String, Object> withTransactionalId(String key) {
            Map<String, Object> p = new HashMap<>(producerProperties);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.relay().transactionalIdPrefix() + key);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-relay-" + feed.column());
            return p;
        }

        /**
         * lag = last seq handed out ({@code current}) − published position (the database copy, never
         * ahead of Kafka); stalled from the row, so that every instance reports a stall.
         */
        private void refreshLag(SequencerStore.Positions current) {
            RelayPositionStore.Row db = positions.row(feed);
            lastRead = current;
            row = db;
            lag.set(Math.max(0, lastSeq(current) - db.publishedSeq()));
            stalled.set(db.stalled() ? 1 : 0);
        }

        private void refreshStatus() {
            refreshLag(sequencer.current());
        }

        long lastSeq(SequencerStore.Positions current) {
            return feed == Feed.NOTIFICATIONS ? current.lastNotificationSeq() : current.lastAlertSeq();
        }

        private void pause(Duration d) {
            long until = System.nanoTime() + d.toNanos();
            while (running && System.nanoTime() < until) {
                try {
                    Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
