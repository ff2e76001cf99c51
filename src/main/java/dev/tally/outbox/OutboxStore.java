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
}
