package dev.tally.support;

import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Fixtures: record JSON built field by field, and a database reset between tests. */
public final class TestData {

    private TestData() {}

    /** A valid record's JSON; {@code value} is written as given (so "10.50" stays a JSON string, 10.5 a number). */
    public static String record(
            String recordId,
            String time,
            String destinationId,
            String type,
            String valueJson,
            String unit,
            String reference) {
        return "{\"recordId\":\"" + recordId + "\",\"time\":\"" + time + "\",\"sourceId\":\"billing\""
                + ",\"destinationId\":\"" + destinationId + "\",\"type\":\"" + type + "\",\"value\":" + valueJson
                + ",\"unit\":\"" + unit + "\",\"reference\":\"" + reference + "\"}";
    }

    public static String record(String recordId, String valueJson) {
        return record(recordId, "2026-03-01T12:00:00Z", "acct-42", "positive", valueJson, "SEK", "inv-1");
    }

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
