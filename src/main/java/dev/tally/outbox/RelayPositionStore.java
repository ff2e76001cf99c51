package dev.tally.outbox;

import dev.tally.store.Jdbc;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code relay_position} table: the database's copy of each feed's published position. The
 * position of record is in Kafka (see {@link OutboxRelay}); this copy is written after each Kafka
 * commit and only ever moves forward, so it is never ahead of what Kafka holds. It bounds pruning
 * and feeds the lag metric on every instance.
 */
@Repository
class RelayPositionStore {

    private static final String READ = """
            SELECT published_seq FROM relay_position WHERE feed = ?""";

    private static final String ADVANCE = """
            UPDATE relay_position SET published_seq = ?, updated_at = ? WHERE feed = ? AND published_seq < ?""";

    private final JdbcTemplate jdbc;

    RelayPositionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long published(Feed feed) {
        Long seq = jdbc.queryForObject(READ, Long.class, feed.column());
        return seq == null ? 0 : seq;
    }

    void advance(Feed feed, long seq, Instant at) {
        jdbc.update(ADVANCE, ps -> {
            ps.setLong(1, seq);
            Jdbc.setInstant(ps, 2, at);
            ps.setString(3, feed.column());
            ps.setLong(4, seq);
        });
    }
}
