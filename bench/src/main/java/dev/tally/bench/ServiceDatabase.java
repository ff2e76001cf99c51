package dev.tally.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/** What the bench reads of the service's PostgreSQL database between scenarios. */
final class ServiceDatabase {

    private static final long FOLD_TIMEOUT_NS = 600_000_000_000L;

    private final String jdbc;

    ServiceDatabase(String jdbc) {
        this.jdbc = jdbc;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc);
    }

    /**
     * Waits until the service's rollup folder has added every committed record to the totals
     * rollups (it works after the write transactions, not in them), and prints how long after
     * {@code since} (a {@code System.nanoTime()}) that was. Totals are exact before that too.
     */
    void awaitFolded(long since, String what) throws SQLException, InterruptedException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            long first = foldLag(s);
            long lag = first;
            long deadline = System.nanoTime() + FOLD_TIMEOUT_NS;
            while (lag > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                lag = foldLag(s);
            }
            double seconds = Fmt.secondsSince(since);
            if (lag <= 0) {
                System.out.printf(
                        Locale.ROOT,
                        "  rollups: %,d records not folded yet at first look; all folded %.1f s after %s%n",
                        first,
                        seconds,
                        what);
            } else {
                System.out.printf(
                        Locale.ROOT, "  rollups: %,d records still not folded %.0f s after %s%n", lag, seconds, what);
            }
        }
    }

    private static long foldLag(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery(
                "SELECT s.last_notification_seq - w.folded_seq FROM sequencer s CROSS JOIN rollup_watermark w")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * With {@code autovacuum = off} (this machine's CI setting) a table filled by the scenarios is
     * never analyzed: the planner takes the million-row records table for a few thousand rows and
     * sorts all of it instead of reading the destination index in order. Production runs
     * autovacuum, which analyzes after 10 % of a table changes; so does this, visibly, where
     * autovacuum is off.
     */
    void analyzeIfNoAutovacuum() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            if (!"off".equals(autovacuum(s))) {
                return;
            }
            long start = System.nanoTime();
            for (String table : List.of("records", "hourly_totals", "daily_totals", "weekly_totals")) {
                s.execute("VACUUM ANALYZE " + table);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  autovacuum is off on this server: ran VACUUM ANALYZE on records and the"
                            + " rollups first, as autovacuum would have (%.1f s)%n",
                    Fmt.secondsSince(start));
        }
    }

    private static String autovacuum(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW autovacuum")) {
            r.next();
            return r.getString(1);
        }
    }
}
