package dev.tally.outbox;

import dev.tally.store.Jdbc;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code outbox} table. Rows are inserted in the write transaction (so a message exists if and
 * only if its record was committed) and read by seq: because seqs are assigned under the
 * sequencer lock, in commit order and without gaps, "everything after seq N" is a stable cursor.
 */
@Repository
public class OutboxStore {

    private static final String INSERT = """
            INSERT INTO outbox (feed, seq, message_id, destination_id, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?)""";

    private static final String PAGE = """
            SELECT seq, message_id, destination_id, payload FROM outbox
            WHERE feed = ? AND seq > ? ORDER BY seq LIMIT ?""";

    private static final String OLDEST_SEQ = """
            SELECT MIN(seq) FROM outbox WHERE feed = ?""";

    /** One small range of the oldest rows: a short transaction on the primary key, no long locks. */
    private static final String PRUNE_RANGE = """
            DELETE FROM outbox
            WHERE feed = ? AND seq >= ? AND seq < ? AND seq <= ? AND created_at < ?""";

    private final JdbcTemplate jdbc;

    public OutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(List<OutboxMessage> messages, Instant createdAt) {
        if (messages.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, messages, messages.size(), (PreparedStatement ps, OutboxMessage m) -> {
            ps.setString(1, m.feed().column());
            ps.setLong(2, m.seq());
            ps.setString(3, m.messageId());
            ps.setString(4, m.destinationId());
            ps.setString(5, m.payload());
            Jdbc.setInstant(ps, 6, createdAt);
        });
    }

    /** At most {@code limit} messages of {@code feed} with seq greater than {@code afterSeq}, in seq order. */
    public List<OutboxMessage> page(Feed feed, long afterSeq, int limit) {
        return jdbc.query(PAGE, (rs, n) -> new OutboxMessage(feed, rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4)), feed.column(), afterSeq, limit);
    }

    /**
     * Deletes up to {@code maxRows} of the oldest messages of {@code feed} that were written before
     * {@code cutoff} and have a seq of at most {@code maxSeq}; returns how many went.
     */
    public int prune(Feed feed, Instant cutoff, long maxSeq, int maxRows) {
        Long oldest = jdbc.queryForObject(OLDEST_SEQ, Long.class, feed.column());
        if (oldest == null) {
            return 0;
        }
        return jdbc.update(PRUNE_RANGE, ps -> {
            ps.setString(1, feed.column());
            ps.setLong(2, oldest);
            ps.setLong(3, oldest + maxRows);
            ps.setLong(4, maxSeq);
            Jdbc.setInstant(ps, 5, cutoff);
        });
    }
}
