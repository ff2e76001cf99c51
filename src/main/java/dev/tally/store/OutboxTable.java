package dev.tally.store;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code outbox} table's insert, as the write transaction runs it on H2 (on PostgreSQL it is a
 * part of {@link PostgresBatchWriter}'s one statement). Rows are inserted in the write transaction,
 * so a message exists if and only if its record was committed.
 */
final class OutboxTable {

    private static final String INSERT = """
            INSERT INTO outbox (feed, seq, message_id, destination_id, payload, summary_previous, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;

    OutboxTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

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
        });
    }
}
