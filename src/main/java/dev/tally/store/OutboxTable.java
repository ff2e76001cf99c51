package dev.tally.store;

import dev.tally.record.TallyRecord;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code outbox} table's SQL. Rows are inserted in the write transaction (by {@link #insert}
 * on H2, as a part of {@link PostgresBatchWriter}'s one statement on PostgreSQL), so a message
 * exists if and only if its record was committed, and read by seq: because seqs are assigned under
 * the sequencer lock, in commit order and without gaps, "everything after seq N" is a stable cursor.
 *
 * <p>A notification row holds only its previous summary ({@link OutboxRow}); a page joins it to its
 * record (by the primary key: the message id is the record id). Turning a row into a message is the
 * outbox package's ({@code outbox.OutboxStore}, {@code outbox.Messages}). Feeds are named by their
 * {@code outbox.feed} value ({@code outbox.Feed#column}).
 */
@Repository
public class OutboxTable {

    private static final String INSERT = """
            INSERT INTO outbox (feed, seq, message_id, destination_id, payload, summary_previous, created_at, traceparent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    /** The record's columns keep their names for {@link RecordStore#map}; the outbox's are prefixed. */
    private static final String PAGE = """
            SELECT o.seq AS o_seq, o.message_id AS o_message_id, o.destination_id AS o_destination_id,
                   o.payload AS o_payload, o.summary_previous AS o_summary_previous, o.created_at AS o_created_at,
                   o.traceparent AS o_traceparent,
                   r.record_id, r.record_time, r.source_id, r.destination_id, r.record_type, r.amount,
                   r.amount_scale, r.unit, r.reference
            FROM outbox o LEFT JOIN records r ON o.payload IS NULL AND r.record_id = o.message_id
            WHERE o.feed = ? AND o.seq > ? ORDER BY o.seq LIMIT ?""";

    private static final String OLDEST_SEQ = """
            SELECT MIN(seq) FROM outbox WHERE feed = ?""";

    /** The first row after a seq, by the primary key: one index probe. */
    private static final String WRITTEN_AFTER = """
            SELECT created_at FROM outbox WHERE feed = ? AND seq > ? ORDER BY seq LIMIT 1""";

    private static final String MESSAGE_ID_AT = """
            SELECT message_id FROM outbox WHERE feed = ? AND seq = ?""";

    /** One small range of the oldest rows: a short transaction on the primary key, no long locks. */
    private static final String PRUNE_RANGE = """
            DELETE FROM outbox
            WHERE feed = ? AND seq >= ? AND seq < ? AND seq <= ? AND created_at < ?""";

    private final JdbcTemplate jdbc;

    public OutboxTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One stored row: an alert with its {@code payload}; a notification with its
     * {@code summaryPrevious} and its {@code record} (null for an alert).
     */
    public record StoredRow(
            long seq,
            String messageId,
            String destinationId,
            String payload,
            String summaryPrevious,
            Instant createdAt,
            @Nullable TallyRecord record,
            @Nullable String traceparent) {}

    void insert(List<OutboxRow> rows, Instant createdAt) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, rows, rows.size(), (PreparedStatement ps, OutboxRow m) -> {
            ps.setString(1, m.feed());
            ps.setLong(2, m.seq());
            ps.setString(3, m.messageId());
            ps.setString(4, m.destinationId());
            ps.setString(5, m.payload());
            ps.setString(6, m.summaryPrevious());
            Jdbc.setInstant(ps, 7, createdAt);
            ps.setString(8, m.traceparent());
        });
    }

    /**
     * At most {@code limit} rows of {@code feed} with seq greater than {@code afterSeq}, in seq
     * order, each turned into a {@code T} by {@code toMessage}.
     */
    public <T> List<T> page(String feed, long afterSeq, int limit, Function<StoredRow, T> toMessage) {
        return jdbc.query(
                PAGE,
                (rs, n) -> {
                    long seq = rs.getLong("o_seq");
                    String payload = rs.getString("o_payload");
                    TallyRecord record = null;
                    if (payload == null) {
                        // The write transaction stored the record with its notification row, and records
                        // are never deleted: a missing record here is a corrupt database, not a state to skip.
                        if (rs.getString("record_id") == null) {
                            throw new IllegalStateException(
                                    "notification " + seq + " has no record " + rs.getString("o_message_id"));
                        }
                        record = RecordStore.map(rs);
                    }
                    return toMessage.apply(new StoredRow(
                            seq,
                            rs.getString("o_message_id"),
                            rs.getString("o_destination_id"),
                            payload,
                            rs.getString("o_summary_previous"),
                            Jdbc.getInstant(rs, "o_created_at"),
                            record,
                            rs.getString("o_traceparent")));
                },
                feed,
                afterSeq,
                limit);
    }

    /** The lowest seq of {@code feed} still in the outbox, if any. */
    public OptionalLong oldestSeq(String feed) {
        Long oldest = jdbc.queryForObject(OLDEST_SEQ, Long.class, feed);
        return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    /** When the first message of {@code feed} after {@code seq} was written, if there is one. */
    public Optional<Instant> firstWrittenAfter(String feed, long seq) {
        return jdbc.query(WRITTEN_AFTER, (rs, i) -> Jdbc.getInstant(rs, "created_at"), feed, seq).stream()
                .findFirst();
    }

    /** The message id at {@code seq}, if that row is (still) in the outbox. */
    public Optional<String> messageIdAt(String feed, long seq) {
        return jdbc.queryForList(MESSAGE_ID_AT, String.class, feed, seq).stream()
                .findFirst();
    }

    /**
     * Deletes up to {@code maxRows} of the oldest messages of {@code feed} that were written before
     * {@code cutoff} and have a seq of at most {@code maxSeq}; returns how many went.
     */
    public int prune(String feed, Instant cutoff, long maxSeq, int maxRows) {
        Long oldest = jdbc.queryForObject(OLDEST_SEQ, Long.class, feed);
        if (oldest == null) {
            return 0;
        }
        return jdbc.update(PRUNE_RANGE, ps -> {
            ps.setString(1, feed);
            ps.setLong(2, oldest);
            ps.setLong(3, oldest + maxRows);
            ps.setLong(4, maxSeq);
            Jdbc.setInstant(ps, 5, cutoff);
        });
    }
}
