package dev.tally.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The totals rollups ({@code hourly_totals} V3, {@code daily_totals} and {@code weekly_totals} V6):
 * count, sum and largest scale of the records per {@code (destinationId, unit, type)} and UTC
 * bucket of their {@code time}, one table per {@link Rollup} level, and the watermark up to which
 * they hold the records ({@code rollup_watermark}, V7).
 *
 * <p>The write transaction does not touch them: the folder ({@code rollup.RollupFolder}) adds
 * the committed records after it, a range of seqs per transaction, and moves the watermark in the
 * same transaction. So in every snapshot a record is either in all levels (seq at or below the
 * watermark) or in none, and the totals query adds the ones above it from the records.
 *
 * <p>Sums are exact: unconstrained {@code NUMERIC} in the tables. The largest scale is kept because
 * a total is written with the largest scale of the records it sums.
 */
@Repository
public class RollupStore {

    private final JdbcTemplate jdbc;
    private final Dialect dialect;

    public RollupStore(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /**
     * The watermark, locked until the transaction ends: folders (of every instance) take turns, and
     * each reads the records after the position its predecessor committed.
     */
    public long lockWatermark() {
        return jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark WHERE id = 1 FOR UPDATE", Long.class);
    }

    /**
     * The highest committed seq in ({@code after}, {@code atMost}], or {@code after} when there is
     * none. Seqs are committed in order (the sequencer lock), so every seq up to the answer is
     * committed and visible to the statements that follow.
     */
    public long lastSeq(long after, long atMost) {
        Long last = jdbc.queryForObject(
                "SELECT MAX(seq) FROM records WHERE seq > ? AND seq <= ?", Long.class, after, atMost);
        return last == null ? after : last;
    }

    /**
     * Adds the records with seq in ({@code after}, {@code upTo}] to every level: an upsert on
     * PostgreSQL, a MERGE on H2 ({@link Dialect#addToRollup}).
     */
    public void add(long after, long upTo) {
        for (Rollup level : Rollup.values()) {
            dialect.addToRollup(jdbc, level, after, upTo);
        }
    }

    public void setWatermark(long foldedSeq) {
        jdbc.update("UPDATE rollup_watermark SET folded_seq = ? WHERE id = 1", foldedSeq);
    }

    /** Committed records not yet in the rollups: the sequencer's position minus the watermark. */
    public long lag() {
        return jdbc.queryForObject("""
                SELECT s.last_notification_seq - w.folded_seq
                FROM sequencer s CROSS JOIN rollup_watermark w
                WHERE s.id = 1 AND w.id = 1""", Long.class);
    }
}
