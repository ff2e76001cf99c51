package dev.tally.outbox;

import dev.tally.store.RelayPositionTable;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a feed's publisher starts, decided from what Kafka and the database say: a pure function,
 * so that every case is a unit test (the relay only reads, calls it and acts).
 *
 * <p><b>The rule: never continue after a position that this database does not hold.</b> The
 * position in Kafka names the last message published for this (deployment, topic) pair. The
 * relay continues after it only if the database's outbox has that seq and, where the row still
 * exists, the same message there. Otherwise (the database was restored from a backup taken before
 * that position, and its next records reuse those seqs) continuing would skip the database's own
 * messages, so the feed stalls until an operator resumes it; the resume publishes after the
 * database's copy of the position, which is never ahead of what was really published.
 */
final class RelayStart {

    private RelayStart() {}

    /** A position on the positions topic: the last seq published, and its message (null at 0 or if pruned). */
    record Position(long seq, String messageId) {
        Position {
            if (seq < 0) {
                throw new IllegalArgumentException("seq " + seq);
            }
        }
    }

    /**
     * What the relay read before deciding.
     *
     * @param key            this pair's position key ({@code <deployment>/<topic>})
     * @param inKafka        the pair's position on the positions topic, if any
     * @param database       the feed's {@code relay_position} row
     * @param lastSeq        the last seq the database handed out for the feed
     * @param messageIdAtKafkaSeq the outbox's message at {@code inKafka.seq}, empty if there is no such row
     * @param oldestSeq      the lowest seq in the outbox, empty if the outbox has none of this feed
     */
    record Inputs(
            String key,
            Optional<Position> inKafka,
            RelayPositionTable.Row database,
            long lastSeq,
            Optional<String> messageIdAtKafkaSeq,
            OptionalLong oldestSeq) {
        Inputs {
            Objects.requireNonNull(key);
            Objects.requireNonNull(inKafka);
            Objects.requireNonNull(database);
            Objects.requireNonNull(messageIdAtKafkaSeq);
            Objects.requireNonNull(oldestSeq);
        }
    }

    /** Why a publisher continues where it does: each is logged differently. */
    enum Reason {
        /** After the pair's position in Kafka. */
        KAFKA_POSITION,
        /** After the database copy, which is ahead of Kafka's (the positions topic was truncated). */
        DATABASE_AHEAD,
        /** After the database copy: the pair has no position in Kafka (the positions topic was lost). */
        POSITIONS_LOST,
        /** A (deployment, topic) pair new to the cluster: from the oldest message the outbox holds. */
        NEW_PAIR
    }

    sealed interface Decision permits Publish, Stall {}

    /** Publish everything after {@code afterSeq}. */
    record Publish(long afterSeq, Reason reason) implements Decision {}

    /**
     * Publish nothing: Kafka's position {@code kafkaPosition} is not in this database, whose last
     * seq is {@code lastSeq}; a resume would publish after {@code resumeAfter}.
     */
    record Stall(long kafkaPosition, long lastSeq, long resumeAfter, String why) implements Decision {}

    static Decision decide(Inputs in) {
        RelayPositionTable.Row db = in.database();
        boolean mine = db.mirrors(in.key());
        long resumeAfter = mine ? Math.min(db.publishedSeq(), in.lastSeq()) : fromOldest(in);
        if (db.stalled() && mine) {
            // Remembered from an earlier session: the database may have handed out seqs past the
            // position since, which would now look like a normal start.
            return new Stall(db.stalledPosition(), in.lastSeq(), resumeAfter, "stalled earlier and not resumed since");
        }
        if (in.inKafka().isPresent()) {
            Position kafka = in.inKafka().get();
            if (kafka.seq() > in.lastSeq()) {
                return new Stall(
                        kafka.seq(),
                        in.lastSeq(),
                        resumeAfter,
                        "the database's last seq is behind it (restored from a backup?)");
            }
            if (kafka.messageId() != null
                    && in.messageIdAtKafkaSeq().isPresent()
                    && !kafka.messageId().equals(in.messageIdAtKafkaSeq().get())) {
                return new Stall(
                        kafka.seq(),
                        in.lastSeq(),
                        resumeAfter,
                        "the database holds message "
                                + in.messageIdAtKafkaSeq().get() + " at that seq, Kafka's is " + kafka.messageId()
                                + " (restored from a backup and written to since?)");
            }
            if (mine && db.publishedSeq() > kafka.seq()) {
                return publishOrStall(db.publishedSeq(), in, resumeAfter, Reason.DATABASE_AHEAD);
            }
            return new Publish(kafka.seq(), Reason.KAFKA_POSITION);
        }
        if (mine && db.publishedSeq() > 0) {
            return publishOrStall(db.publishedSeq(), in, resumeAfter, Reason.POSITIONS_LOST);
        }
        return new Publish(fromOldest(in), Reason.NEW_PAIR);
    }

    /** The database copy is never ahead of the last seq by construction; if it were, it is not trusted. */
    private static Decision publishOrStall(long after, Inputs in, long resumeAfter, Reason reason) {
        if (after > in.lastSeq()) {
            return new Stall(after, in.lastSeq(), resumeAfter, "the database copy of the position is ahead of it");
        }
        return new Publish(after, reason);
    }

    /** Just before the oldest message in the outbox; with none, after the last seq (all were pruned). */
    private static long fromOldest(Inputs in) {
        return in.oldestSeq().isPresent() ? in.oldestSeq().getAsLong() - 1 : in.lastSeq();
    }
}
