package dev.tally.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.outbox.RelayStart.Decision;
import dev.tally.outbox.RelayStart.Inputs;
import dev.tally.outbox.RelayStart.Position;
import dev.tally.outbox.RelayStart.Publish;
import dev.tally.outbox.RelayStart.Reason;
import dev.tally.outbox.RelayStart.Stall;
import dev.tally.store.RelayPositionTable;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Every case of the relay's start decision, by hand-picked numbers (the ITs run the real ones). */
class RelayStartTest {

    private static final String KEY = "d-1/notifications";

    private static RelayPositionTable.Row row(long published, String key) {
        return new RelayPositionTable.Row(published, key, null, false);
    }

    private static Decision decide(
            Position kafka, RelayPositionTable.Row db, long lastSeq, String idAtKafkaSeq, Long oldest) {
        return RelayStart.decide(new Inputs(
                KEY,
                Optional.ofNullable(kafka),
                db,
                lastSeq,
                Optional.ofNullable(idAtKafkaSeq),
                oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest)));
    }

    @Test
    void continuesAfterKafkasPositionWhenTheDatabaseHoldsIt() {
        assertThat(decide(new Position(3_000, "r-2999"), row(2_900, KEY), 3_500, "r-2999", 1L))
                .isEqualTo(new Publish(3_000, Reason.KAFKA_POSITION));
        // The row at the position was pruned: nothing to compare, the seq is in the database's range.
        assertThat(decide(new Position(3_000, "r-2999"), row(3_000, KEY), 3_500, null, 3_001L))
                .isEqualTo(new Publish(3_000, Reason.KAFKA_POSITION));
    }

    @Test
    void aNewDatabaseStartsFromTheOldestMessage() {
        // A fresh database: its row mirrors nothing yet (NULL key, 0).
        assertThat(decide(null, row(0, null), 3_000, null, 1L)).isEqualTo(new Publish(0, Reason.NEW_PAIR));
        assertThat(decide(null, row(0, null), 0, null, null)).isEqualTo(new Publish(0, Reason.NEW_PAIR));
    }

    @Test
    void aNewTopicStartsFromTheOldestMessageTheOutboxHolds() {
        // The row is another pair's (the deployment published to another topic until now).
        assertThat(decide(null, row(9_000, "d-1/old-topic"), 9_500, null, 5_001L))
                .isEqualTo(new Publish(5_000, Reason.NEW_PAIR));
        // Everything was pruned: the next message is the first.
        assertThat(decide(null, row(9_000, "d-1/old-topic"), 9_000, null, null))
                .isEqualTo(new Publish(9_000, Reason.NEW_PAIR));
    }

    @Test
    void aLostPositionsTopicContinuesAfterTheDatabaseCopy() {
        assertThat(decide(null, row(2_000, KEY), 3_000, null, 1L)).isEqualTo(new Publish(2_000, Reason.POSITIONS_LOST));
        // A row written before V8 (no key) is taken as this pair's: an upgrade continues.
        assertThat(decide(null, row(2_000, null), 3_000, null, 1L))
                .isEqualTo(new Publish(2_000, Reason.POSITIONS_LOST));
    }

    @Test
    void theDatabaseCopyAheadOfKafkaWinsButNeverPastTheLastSeq() {
        assertThat(decide(new Position(1_000, "r-999"), row(2_000, KEY), 3_000, "r-999", 1L))
                .isEqualTo(new Publish(2_000, Reason.DATABASE_AHEAD));
        assertThat(decide(null, row(4_000, KEY), 3_000, null, 1L)).isInstanceOf(Stall.class);
    }

    @Test
    void aPositionAheadOfTheLastSeqStalls() {
        // Restored from a backup at 3,000 whose copy of the position was 2,500; Kafka says 5,000.
        assertThat(decide(new Position(5_000, "lost-1999"), row(2_500, KEY), 3_000, null, 1L))
                .isEqualTo(new Stall(
                        5_000, 3_000, 2_500, "the database's last seq is behind it (restored from a backup?)"));
    }

    @Test
    void anotherMessageAtThePositionStalls() {
        // The same restore, but 2,500 new records came in before the relay looked: seq 5,000 exists
        // again, holding another message. Continuing after it would skip 3,001..5,000.
        Decision d = decide(new Position(5_000, "lost-1999"), row(2_500, KEY), 5_500, "new-1999", 1L);
        assertThat(d).isInstanceOf(Stall.class);
        assertThat(((Stall) d).resumeAfter()).isEqualTo(2_500);
        assertThat(((Stall) d).lastSeq()).isEqualTo(5_500);
    }

    @Test
    void aRememberedStallStaysUntilResumedEvenOnceTheLastSeqHasPassedIt() {
        RelayPositionTable.Row stalled = new RelayPositionTable.Row(2_500, KEY, 5_000L, false);
        assertThat(decide(new Position(5_000, "lost-1999"), stalled, 5_500, null, 1L))
                .isEqualTo(new Stall(5_000, 5_500, 2_500, "stalled earlier and not resumed since"));
        // Another pair's stall (the topic was changed meanwhile) does not hold this one.
        RelayPositionTable.Row others = new RelayPositionTable.Row(2_500, "d-1/old-topic", 5_000L, false);
        assertThat(decide(null, others, 5_500, null, 1L)).isEqualTo(new Publish(0, Reason.NEW_PAIR));
    }
}
