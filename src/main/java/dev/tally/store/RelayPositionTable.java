package dev.tally.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code relay_position} table's SQL: the database's copy of each feed's published position. The
 * position of record is in Kafka (see {@code outbox.OutboxRelay}); this copy is written after each Kafka
 * commit and only ever moves forward while one (deployment, topic) pair publishes, so it is never
 * ahead of what Kafka holds. It bounds pruning, feeds the lag metric on every instance, and is where
 * a restore to a point behind Kafka's position is remembered ({@code stalled_position}) until an
 * operator resumes the feed. Feeds are named by their {@code relay_position.feed} value
 * ({@code outbox.Feed#column}); what the relay does with a row is the outbox package's.
 */
@Repository
public class RelayPositionTable {

    /**
     * One feed's row.
     *
     * @param publishedSeq     the database copy of the published position
     * @param positionKey      the Kafka position key it mirrors; null if written before V8
     * @param stalledPosition  Kafka's position while the relay refuses to publish, else null
     * @param resumeRequested  an operator asked to resume since the stall
     */
    public record Row(
            long publishedSeq,
            @Nullable String positionKey,
            @Nullable Long stalledPosition,
            boolean resumeRequested) {

        public boolean stalled() {
            return stalledPosition != null;
        }

        /** Whether {@code publishedSeq} is the position of {@code key} (rows from before V8 are taken as such). */
        public boolean mirrors(String key) {
            return positionKey == null || positionKey.equals(key);
        }
    }

    private static final String READ = """
            SELECT published_seq FROM relay_position WHERE feed = ?""";

    private static final String READ_ROW = """
            SELECT published_seq, position_key, stalled_position, resume_requested_at
            FROM relay_position WHERE feed = ?""";

    private static final String ADVANCE = """
            UPDATE relay_position SET published_seq = ?, updated_at = ? WHERE feed = ? AND published_seq < ?""";

    /** A publisher's start: the row now mirrors this key at this position, and nothing is stalled. */
    private static final String CLAIM = """
            UPDATE relay_position
            SET position_key = ?, published_seq = ?, updated_at = ?, stalled_position = NULL, resume_requested_at = NULL
            WHERE feed = ?""";

    /** published_seq becomes where a resume would start, so pruning keeps everything after it. */
    private static final String STALL = """
            UPDATE relay_position SET position_key = ?, published_seq = ?, updated_at = ?, stalled_position = ?
            WHERE feed = ?""";

    private static final String REQUEST_RESUME = """
            UPDATE relay_position SET resume_requested_at = ? WHERE feed = ? AND stalled_position IS NOT NULL""";

    private final JdbcTemplate jdbc;

    public RelayPositionTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long published(String feed) {
        Long seq = jdbc.queryForObject(READ, Long.class, feed);
        return seq == null ? 0 : seq;
    }

    public Row row(String feed) {
        return jdbc.queryForObject(
                READ_ROW,
                (rs, n) -> {
                    long stalled = rs.getLong("stalled_position");
                    Long stalledPosition = rs.wasNull() ? null : stalled;
                    return new Row(
                            rs.getLong("published_seq"),
                            rs.getString("position_key"),
                            stalledPosition,
                            rs.getObject("resume_requested_at") != null);
                },
                feed);
    }

    public void advance(String feed, long seq, Instant at) {
        jdbc.update(ADVANCE, ps -> {
            ps.setLong(1, seq);
            Jdbc.setInstant(ps, 2, at);
            ps.setString(3, feed);
            ps.setLong(4, seq);
        });
    }

    /** Sets the row to {@code key} at {@code seq} (which may be lower: a new pair) and clears any stall. */
    public void claim(String feed, String key, long seq, Instant at) {
        jdbc.update(CLAIM, ps -> {
            ps.setString(1, key);
            ps.setLong(2, seq);
            Jdbc.setInstant(ps, 3, at);
            ps.setString(4, feed);
        });
    }

    /** Records that {@code key}'s Kafka position {@code kafkaPosition} is not in this database; a resume starts after {@code resumeAfter}. */
    public void stall(String feed, String key, long kafkaPosition, long resumeAfter, Instant at) {
        jdbc.update(STALL, ps -> {
            ps.setString(1, key);
            ps.setLong(2, resumeAfter);
            Jdbc.setInstant(ps, 3, at);
            ps.setLong(4, kafkaPosition);
            ps.setString(5, feed);
        });
    }

    /** An operator's resume; false if the feed is not stalled. The feed's publisher acts on it. */
    public boolean requestResume(String feed, Instant at) {
        return jdbc.update(REQUEST_RESUME, ps -> {
                    Jdbc.setInstant(ps, 1, at);
                    ps.setString(2, feed);
                })
                == 1;
    }
}
