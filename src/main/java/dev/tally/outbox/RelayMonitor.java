package dev.tally.outbox;

import dev.tally.store.RelayPositionTable;
import dev.tally.store.SequencerStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * What an instance knows of each feed's publication, for the gauges, the {@code relay} health
 * component and {@code /actuator/relay}: refreshed every second from the database by the relay's
 * lag loop (so standbys report a stall too, and the lag is right during an outage, while the
 * publishers wait in bounded Kafka calls), and at once by a publisher that changes the feed's state.
 */
final class RelayMonitor {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final SequencerStore sequencer;
    private final RelayPositionTable positions;
    private final OutboxStore outbox;
    private final Clock clock;
    private final TopicNames topicNames;
    private final Map<Feed, State> states = new EnumMap<>(Feed.class);

    /** The topic each feed is published to. */
    @FunctionalInterface
    interface TopicNames {
        String of(Feed feed);
    }

    RelayMonitor(
            SequencerStore sequencer,
            RelayPositionTable positions,
            OutboxStore outbox,
            TopicNames topicNames,
            Clock clock,
            MeterRegistry meters) {
        this.sequencer = sequencer;
        this.positions = positions;
        this.outbox = outbox;
        this.topicNames = topicNames;
        this.clock = clock;
        Gauge.builder("tally.outbox.oldest.age", this, RelayMonitor::oldestUnpublishedAgeSeconds)
                .description("Seconds since the oldest message not yet published to Kafka was written (0 when none),"
                        + " as of the last refresh of the published positions")
                .baseUnit("seconds")
                .register(meters);
        for (Feed feed : Feed.values()) {
            State s = new State();
            states.put(feed, s);
            Gauge.builder("tally.kafka.relay.lag", s.lag, AtomicLong::get)
                    .description("Messages in the outbox not yet published: last seq minus published position")
                    .tag("feed", feed.column())
                    .register(meters);
            Gauge.builder("tally.kafka.relay.leader", s.leader, AtomicLong::get)
                    .description("1 while this instance is the feed's publisher")
                    .tag("feed", feed.column())
                    .register(meters);
            Gauge.builder("tally.kafka.relay.stalled", s.stalled, AtomicLong::get)
                    .description("1 while the feed is not published because Kafka's position is not in this database"
                            + " (restored behind it); resume with POST /actuator/relay/{feed}/resume")
                    .tag("feed", feed.column())
                    .register(meters);
        }
    }

    private static final class State {
        final AtomicLong lag = new AtomicLong();
        final AtomicLong leader = new AtomicLong();
        final AtomicLong stalled = new AtomicLong();
        volatile SequencerStore.@Nullable Positions lastRead;
        volatile RelayPositionTable.@Nullable Row row;
        /** When the first message after the published position was written; null when there is none. */
        volatile @Nullable Instant oldestUnpublished;
    }

    /**
     * A feed's state; null fields until the first refresh.
     *
     * @param lastSeq  the last seq the database handed out
     * @param database the feed's relay_position row
     * @param leader   whether this instance publishes the feed
     */
    record FeedStatus(
            Feed feed,
            String topic,
            @Nullable Long lastSeq,
            RelayPositionTable.@Nullable Row database,
            boolean leader) {

        boolean stalled() {
            return database != null && database.stalled();
        }
    }

    List<FeedStatus> status() {
        List<FeedStatus> out = new ArrayList<>();
        for (Feed feed : Feed.values()) {
            State s = states.get(feed);
            SequencerStore.Positions current = s.lastRead;
            Long last = current == null ? null : lastSeq(feed, current);
            out.add(new FeedStatus(feed, topicNames.of(feed), last, s.row, s.leader.get() == 1));
        }
        return out;
    }

    /** Every feed's lag from one read of the sequencer; keeps the last values while the database is away. */
    void refreshAll() {
        try {
            SequencerStore.Positions current = sequencer.current();
            for (Feed feed : Feed.values()) {
                refresh(feed, current);
            }
        } catch (DataAccessException e) {
            // The database is away: the lag is unknown, keep the last values rather than guess.
            log.debug("Relay lag not refreshed", e);
        }
    }

    /** One feed, now: after its publisher claimed, stalled or resumed it. */
    void refresh(Feed feed) {
        refresh(feed, sequencer.current());
    }

    /**
     * lag = last seq handed out ({@code current}) − published position (the database copy, never
     * ahead of Kafka); stalled from the row, so that every instance reports a stall.
     */
    private void refresh(Feed feed, SequencerStore.Positions current) {
        State s = states.get(feed);
        RelayPositionTable.Row db = positions.row(feed.column());
        s.lastRead = current;
        s.row = db;
        s.lag.set(Math.max(0, lastSeq(feed, current) - db.publishedSeq()));
        s.stalled.set(db.stalled() ? 1 : 0);
        s.oldestUnpublished = outbox.firstWrittenAfter(feed, db.publishedSeq()).orElse(null);
    }

    private double oldestUnpublishedAgeSeconds() {
        Instant oldest = null;
        for (State s : states.values()) {
            Instant o = s.oldestUnpublished;
            if (o != null && (oldest == null || o.isBefore(oldest))) {
                oldest = o;
            }
        }
        if (oldest == null) {
            return 0;
        }
        return Math.max(0, Duration.between(oldest, clock.instant()).toNanos() / 1e9);
    }

    void leader(Feed feed, boolean leader) {
        states.get(feed).leader.set(leader ? 1 : 0);
    }

    void stalled(Feed feed, boolean stalled) {
        states.get(feed).stalled.set(stalled ? 1 : 0);
    }

    static long lastSeq(Feed feed, SequencerStore.Positions current) {
        return feed == Feed.NOTIFICATIONS ? current.lastNotificationSeq() : current.lastAlertSeq();
    }
}
