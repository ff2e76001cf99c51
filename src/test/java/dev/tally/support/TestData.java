package dev.tally.support;

import org.springframework.jdbc.core.JdbcTemplate;

/** Fixtures: record JSON built field by field, and a database reset between tests. */
public final class TestData {

    private TestData() {}

    /** A valid record's JSON; {@code value} is written as given (so "10.50" stays a JSON string, 10.5 a number). */
    public static String record(String recordId, String time, String destinationId, String type, String valueJson,
            String unit, String reference) {
        return "{\"recordId\":\"" + recordId + "\",\"time\":\"" + time + "\",\"sourceId\":\"billing\""
                + ",\"destinationId\":\"" + destinationId + "\",\"type\":\"" + type + "\",\"value\":" + valueJson
                + ",\"unit\":\"" + unit + "\",\"reference\":\"" + reference + "\"}";
    }

    public static String record(String recordId, String valueJson) {
        return record(recordId, "2026-03-01T12:00:00Z", "acct-42", "positive", valueJson, "SEK", "inv-1");
    }

    /** Empties every table the service writes and rewinds the seqs: each test starts from nothing. */
    public static void reset(JdbcTemplate jdbc) {
        jdbc.execute("DELETE FROM records");
        jdbc.execute("DELETE FROM summaries");
        jdbc.execute("DELETE FROM outbox");
        jdbc.execute("DELETE FROM hourly_totals");
        jdbc.execute("DELETE FROM daily_totals");
        jdbc.execute("DELETE FROM weekly_totals");
        jdbc.update("UPDATE sequencer SET last_notification_seq = 0, last_alert_seq = 0 WHERE id = 1");
    }
}
