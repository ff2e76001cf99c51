package dev.tally.support;

import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** The database reset between tests (records are built with {@link Rec}). */
public final class Tables {

    private Tables() {}

    /**
     * Empties every table the service writes and rewinds the seqs: each test starts from nothing.
     * One transaction that first takes the rollups' watermark lock, as a folder does: a folding round
     * of the service in the background either finishes before the reset or starts after it, never
     * leaving rows for records the reset deleted.
     */
    public static void reset(JdbcTemplate jdbc) {
        jdbc.execute((ConnectionCallback<Void>) c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT folded_seq FROM rollup_watermark WHERE id = 1 FOR UPDATE");
                s.execute("DELETE FROM records");
                s.execute("DELETE FROM summaries");
                s.execute("DELETE FROM outbox");
                s.execute("DELETE FROM hourly_totals");
                s.execute("DELETE FROM daily_totals");
                s.execute("DELETE FROM weekly_totals");
                s.execute("UPDATE sequencer SET last_notification_seq = 0, last_alert_seq = 0 WHERE id = 1");
                s.execute("UPDATE rollup_watermark SET folded_seq = 0 WHERE id = 1");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }
}
