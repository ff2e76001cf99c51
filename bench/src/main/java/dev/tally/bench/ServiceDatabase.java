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

    /** A stored record as the bench compares it with the one it sent. */
    record StoredRecord(
            String recordId,
            java.time.Instant time,
            String destinationId,
            String type,
            java.math.BigDecimal amount,
            String unit,
            String reference) {}

    private static final String RECORDS_WITH_PREFIX = """
            SELECT record_id, record_time, destination_id, record_type, amount, unit, reference
            FROM records WHERE record_id LIKE ? ORDER BY record_id""";

    private static final String COUNT_WITH_PREFIX = "SELECT count(*) FROM records WHERE record_id LIKE ?";

    /** Every stored record whose recordId starts with {@code prefix} (no LIKE wildcards in it). */
    List<StoredRecord> recordsWithPrefix(String prefix) throws SQLException {
        List<StoredRecord> out = new java.util.ArrayList<>();
        try (Connection c = connect();
                java.sql.PreparedStatement ps = c.prepareStatement(RECORDS_WITH_PREFIX)) {
            ps.setString(1, prefix + "%");
            ps.setFetchSize(10_000);
            c.setAutoCommit(false); // a fetch size only streams inside a transaction
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredRecord(
                            rs.getString(1),
                            rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBigDecimal(5),
                            rs.getString(6),
                            rs.getString(7)));
                }
            }
            c.commit();
        }
        return out;
    }

    /**
     * Waits until the count of records with {@code prefix} has not changed for {@code quietMs}: a
     * request the client gave up on (wrk stops with requests in flight) may still commit.
     * Bounded by {@code timeoutMs}; returns whether it settled.
     */
    boolean awaitSettled(String prefix, long quietMs, long timeoutMs) throws SQLException, InterruptedException {
        try (Connection c = connect();
                java.sql.PreparedStatement ps = c.prepareStatement(COUNT_WITH_PREFIX)) {
            ps.setString(1, prefix + "%");
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            long last = -1;
            long since = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long n;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
                if (n != last) {
                    last = n;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= quietMs * 1_000_000) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        }
    }

    private static final String BACKENDS =
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";

    /** The pids of the PostgreSQL backends connected to this database (the service's pool), but this one. */
    List<Long> backendPids() throws SQLException {
        List<Long> pids = new java.util.ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(BACKENDS)) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids;
    }

    private static String autovacuum(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW autovacuum")) {
            r.next();
            return r.getString(1);
        }
    }
}
