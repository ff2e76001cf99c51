package dev.tally.outbox;

import dev.tally.config.TallyKafkaProperties;
import dev.tally.store.DeploymentStore;
import dev.tally.store.LeaderLock;
import dev.tally.store.RelayPositionTable;
import dev.tally.store.SequencerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The publisher of one feed: while this instance leads the feed, a session reads the feed's
 * position (Kafka's, checked against the database by {@link RelayStart}), then pages through the
 * outbox after it, sending each page and the new position in one Kafka transaction and advancing
 * the database copy after the commit. See {@link OutboxRelay} for why that is exactly once. Each
 * message carries the headers {@code messageId}, {@code type}, {@code seq} and the CloudEvents
 * binary-mode headers ({@link CloudEventHeaders}, docs/kafka.md).
 *
 * <p>It is driven one {@link #step()} at a time by the relay's background loop, which also does
 * all the waiting (the pause the step returns, or the back-off after a failure); a failed step
 * has ended the session (producer closed, lock released) and the next step starts a new one.
 * Not thread-safe: one loop calls it.
 */
final class FeedPublisher {

    /** The relay logs under one name, whichever of its classes speaks. */
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    static final String HEADER_MESSAGE_ID = "messageId";
    static final String HEADER_TYPE = "type";
    static final String HEADER_SEQ = "seq";
    static final String HEADER_TRACEPARENT = "traceparent";

    /** How often a stalled publisher looks for an operator's resume. */
    private static final Duration STALL_CHECK = Duration.ofMillis(500);

    private final Feed feed;
    private final String topic;
    private final FeedLeadership leadership;
    private final RelayClients clients;
    private final PositionsTopic positionsTopic;
    private final KafkaTopics topics;
    private final OutboxStore outbox;
    private final RelayPositionTable positions;
    private final SequencerStore sequencer;
    private final DeploymentStore deployment;
    private final RelayMonitor monitor;
    private final TallyKafkaProperties kafka;
    private final Clock clock;
    private final Counter published;
    private final Counter failures;

    private @Nullable Session session;

    /** A leader's session: its lock, its producer, where it is. */
    private static final class Session {
        final LeaderLock.Held held;

        @Nullable
        KafkaProducer<String, String> producer;

        @Nullable
        KafkaClientMetrics producerMetrics;

        String key = "";
        CloudEventHeaders cloudEvents = CloudEventHeaders.ofDeployment("unknown");
        long position;
        /** Stalled: waiting for an operator's resume instead of publishing. */
        boolean awaitingResume;

        long remindAt;

        Session(LeaderLock.Held held) {
            this.held = held;
        }

        KafkaProducer<String, String> producer() {
            KafkaProducer<String, String> p = producer;
            if (p == null) {
                throw new IllegalStateException("no producer yet");
            }
            return p;
        }
    }

    FeedPublisher(
            Feed feed,
            String topic,
            FeedLeadership leadership,
            RelayClients clients,
            PositionsTopic positionsTopic,
            KafkaTopics topics,
            OutboxStore outbox,
            RelayPositionTable positions,
            SequencerStore sequencer,
            DeploymentStore deployment,
            RelayMonitor monitor,
            TallyKafkaProperties kafka,
            Clock clock,
            MeterRegistry meters) {
        this.feed = feed;
        this.topic = topic;
        this.leadership = leadership;
        this.clients = clients;
        this.positionsTopic = positionsTopic;
        this.topics = topics;
        this.outbox = outbox;
        this.positions = positions;
        this.sequencer = sequencer;
        this.deployment = deployment;
        this.monitor = monitor;
        this.kafka = kafka;
        this.clock = clock;
        this.published = Counter.builder("tally.kafka.relay.published")
                .description("Messages published to Kafka by this instance (committed transactions)")
                .tag("feed", feed.column())
                .register(meters);
        this.failures = Counter.builder("tally.kafka.relay.failures")
                .description("Relay sessions ended by a Kafka or database failure")
                .tag("feed", feed.column())
                .register(meters);
    }

    Feed feed() {
        return feed;
    }

    /**
     * One step: take the lock and start a session, or check for a resume while stalled, or publish
     * one page. Returns the pause before the next step. On a failure the session is ended and the
     * exception goes to the loop, which backs off and calls {@link #failed}.
     */
    Duration step() {
        try {
            Session s = session;
            if (s == null) {
                return begin();
            }
            if (!s.held.stillHeld()) {
                endSession(); // lost the lock's connection: another instance may lead now
                return Duration.ZERO;
            }
            return s.awaitingResume ? checkResume(s) : publishPage(s);
        } catch (RuntimeException e) {
            try {
                endSession();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Says why the session ended; the loop retries after {@code retryIn}. */
    void failed(Exception e, Duration retryIn) {
        failures.increment();
        if (e instanceof KafkaException || e instanceof DataAccessException) {
            log.warn(
                    "Relay {}: {}; the outbox keeps the messages, retrying in {} ms",
                    feed.column(),
                    e.toString(),
                    retryIn.toMillis());
            log.debug("Relay {} failure", feed.column(), e);
        } else {
            // A bug, not an operating condition; keep the relay alive and shout.
            log.error("Relay {} failed unexpectedly; retrying in {} ms", feed.column(), retryIn.toMillis(), e);
        }
    }

    /** Ends the session, if any: producer closed (an open transaction is aborted by the next publisher), lock released. */
    void endSession() {
        Session s = session;
        session = null;
        if (s == null) {
            return;
        }
        try {
            KafkaClientMetrics m = s.producerMetrics;
            if (m != null) {
                m.close();
            }
            KafkaProducer<String, String> p = s.producer;
            if (p != null) {
                p.close(kafka.relay().requestTimeout());
            }
        } finally {
            leadership.end(s.held);
        }
    }

    private Duration begin() {
        Optional<LeaderLock.Held> lock;
        try {
            lock = leadership.tryTake();
        } catch (SQLException | DataAccessException e) {
            log.warn("Relay {}: cannot reach the database for the leader lock; retrying", feed.column(), e);
            return kafka.relay().leaderRetry();
        }
        if (lock.isEmpty()) {
            return kafka.relay().leaderRetry();
        }
        Session s = new Session(lock.get());
        session = s;
        topics.ensure();
        String deploymentId = deployment.deploymentId();
        s.key = deploymentId + "/" + topic;
        s.cloudEvents = CloudEventHeaders.ofDeployment(deploymentId);
        s.producer = clients.producer(feed, s.key);
        s.producerMetrics = clients.meter(s.producer);
        s.producer.initTransactions(); // fences the previous publisher, aborts its open transaction
        long position = startPosition(s.key);
        if (position < 0) {
            awaitResume(s);
        } else {
            s.position = position;
        }
        return Duration.ZERO;
    }

    private Duration publishPage(Session s) {
        List<OutboxMessage> page = outbox.page(feed, s.position, kafka.relay().batchMessages());
        if (page.isEmpty()) {
            long last = RelayMonitor.lastSeq(feed, sequencer.current());
            if (last < s.position) {
                // The database was replaced under this session by one that is behind
                // (restored): its next seqs would look like the continuation.
                stall(
                        s.key,
                        new RelayStart.Stall(
                                s.position,
                                last,
                                Math.min(positions.published(feed.column()), last),
                                "the database's last seq went behind it while publishing"));
                awaitResume(s);
                return Duration.ZERO;
            }
            return kafka.relay().pollInterval();
        }
        if (page.get(0).seq() != s.position + 1) {
            log.error(
                    "Relay {}: seqs {}..{} are missing from the outbox (pruned before publication?)",
                    feed.column(),
                    s.position + 1,
                    page.get(0).seq() - 1);
        }
        s.position = publish(s.producer(), s.key, s.cloudEvents, page);
        published.increment(page.size());
        positions.advance(feed.column(), s.position, clock.instant());
        return Duration.ZERO;
    }

    /**
     * One Kafka transaction: the messages in seq order, then the feed's new position.
     *
     * <p>Each {@code send} may block up to {@code max.block.ms} (for metadata) when the broker
     * has just gone, and returns a failed future instead of throwing; a page of hundreds of
     * sends would then wait hundreds of times that while the lag metric and shutdown wait on
     * this step. So the first failed send ends the page, and the page as a whole has the
     * request timeout; the open transaction is aborted by the next {@code initTransactions()}.
     */
    private long publish(
            KafkaProducer<String, String> producer,
            String key,
            CloudEventHeaders cloudEvents,
            List<OutboxMessage> page) {
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
            if (m.traceparent() != null) {
                // W3C trace context: the consumer's span continues the trace the record came in with
                headers.add(HEADER_TRACEPARENT, m.traceparent().getBytes(StandardCharsets.UTF_8));
            }
            for (Header h : cloudEvents.of(m, topic)) {
                headers.add(h);
            }
            producer.send(new ProducerRecord<>(topic, null, m.destinationId(), m.payload(), headers), firstFailure);
        }
        OutboxMessage last = page.get(page.size() - 1);
        producer.send(positionsTopic.record(feed, key, new RelayStart.Position(last.seq(), last.messageId())));
        producer.commitTransaction(); // throws if any send failed: nothing of this batch is visible then
        return last.seq();
    }

    /**
     * Where this session continues, decided by {@link RelayStart} from the position of record
     * (read read_committed after initTransactions()) and the database; -1 if the feed is
     * stalled. The database is read last seq first, so that a message committed meanwhile has a
     * higher seq than every one the decision looked at.
     */
    private long startPosition(String key) {
        Optional<RelayStart.Position> inKafka = positionsTopic.read(feed, key);
        long last = RelayMonitor.lastSeq(feed, sequencer.current());
        RelayPositionTable.Row db = positions.row(feed.column());
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
            case KAFKA_POSITION -> log.info("Relay {}: publishing to {} after seq {}", feed.column(), topic, after);
            case DATABASE_AHEAD ->
                log.warn(
                        "Relay {}: the positions topic says {} but the database copy says {};"
                                + " publishing to {} after {} (messages up to it are not published again)",
                        feed.column(),
                        inKafka.map(RelayStart.Position::seq).orElse(0L),
                        after,
                        topic,
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
                        topic,
                        after);
        }
        positions.claim(feed.column(), key, after, clock.instant());
        monitor.refresh(feed);
        return after;
    }

    /** Records the stall in the database (restarts and other instances see it) and says why, with both numbers. */
    private void stall(String key, RelayStart.Stall stall) {
        positions.stall(feed.column(), key, stall.kafkaPosition(), stall.resumeAfter(), clock.instant());
        monitor.stalled(feed, true);
        monitor.refresh(feed);
        log.error(
                "Relay {}: NOT publishing to {}: the positions topic says seq {} was published; this"
                        + " database's last seq is {}: {}. Continuing after {} would skip this database's messages that"
                        + " get (or got) those seqs. To publish again after seq {} (the database's copy of the position;"
                        + " what was published after it comes again, consumers drop repeats by messageId): POST"
                        + " /actuator/relay/{}/resume",
                feed.column(),
                topic,
                stall.kafkaPosition(),
                stall.lastSeq(),
                stall.why(),
                stall.kafkaPosition(),
                stall.resumeAfter(),
                feed.column());
    }

    /** From now on the session, holding the lock, waits for an operator's resume ({@link #checkResume}). */
    private void awaitResume(Session s) {
        s.awaitingResume = true;
        s.remindAt = System.nanoTime() + kafka.relay().stallReminder().toNanos();
    }

    /**
     * While stalled: if an operator asked, moves the position of record back to the database copy
     * (one Kafka transaction with only the position, so that a restart does not stall again) and
     * publishes after it from the next step on. A stall cleared by hand ends the session: the next
     * one decides afresh.
     */
    private Duration checkResume(Session s) {
        RelayPositionTable.Row db = positions.row(feed.column());
        if (!db.stalled()) {
            endSession();
            return Duration.ZERO;
        }
        if (System.nanoTime() > s.remindAt && !db.resumeRequested()) {
            // A stall lasts until someone acts: one line at its start is too easy to miss.
            log.error(
                    "Relay {}: still NOT publishing to {}: the positions topic says seq {} was published,"
                            + " this database's last seq is {}. To publish after seq {}: POST /actuator/relay/{}/resume",
                    feed.column(),
                    topic,
                    db.stalledPosition(),
                    RelayMonitor.lastSeq(feed, sequencer.current()),
                    db.publishedSeq(),
                    feed.column());
            s.remindAt = System.nanoTime() + kafka.relay().stallReminder().toNanos();
        }
        if (!db.resumeRequested()) {
            return STALL_CHECK;
        }
        long after = db.publishedSeq(); // set at the stall: never ahead of the last seq
        Optional<String> id = after > 0 ? outbox.messageIdAt(feed, after) : Optional.empty();
        KafkaProducer<String, String> producer = s.producer();
        producer.beginTransaction();
        producer.send(positionsTopic.record(feed, s.key, new RelayStart.Position(after, id.orElse(null))));
        producer.commitTransaction();
        positions.claim(feed.column(), s.key, after, clock.instant());
        monitor.stalled(feed, false);
        monitor.refresh(feed);
        log.warn(
                "Relay {}: resumed by an operator: publishing to {} after seq {} (the positions topic said"
                        + " {}); messages published before after that seq come again, consumers drop repeats by"
                        + " messageId",
                feed.column(),
                topic,
                after,
                db.stalledPosition());
        s.position = after;
        s.awaitingResume = false;
        return Duration.ZERO;
    }
}
