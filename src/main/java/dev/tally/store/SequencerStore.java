package dev.tally.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The single {@code sequencer} row: the last seq handed out per feed. Locking it is the first
 * statement of every write transaction, so writers on all instances take turns; seqs are thus
 * assigned in commit order and a reader paging by seq can never skip a row committed late.
 */
@Repository
public class SequencerStore {

    private static final String LOCK = """
            SELECT last_notification_seq, last_alert_seq FROM sequencer WHERE id = 1 FOR UPDATE""";

    private static final String CURRENT = """
            SELECT last_notification_seq, last_alert_seq FROM sequencer WHERE id = 1""";

    private static final String ADVANCE = """
            UPDATE sequencer SET last_notification_seq = ?, last_alert_seq = ? WHERE id = 1""";

    private final JdbcTemplate jdbc;

    public SequencerStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Positions(long lastNotificationSeq, long lastAlertSeq) {}

    /** Locks the row until the transaction ends and returns the positions; must run in a transaction. */
    public Positions lock() {
        return jdbc.queryForObject(LOCK, (rs, n) -> new Positions(rs.getLong(1), rs.getLong(2)));
    }

    /** The last seqs handed out, without locking: for monitoring (relay lag), not for writing. */
    public Positions current() {
        return jdbc.queryForObject(CURRENT, (rs, n) -> new Positions(rs.getLong(1), rs.getLong(2)));
    }

    public void advance(Positions positions) {
        jdbc.update(ADVANCE, positions.lastNotificationSeq(), positions.lastAlertSeq());
    }
}
