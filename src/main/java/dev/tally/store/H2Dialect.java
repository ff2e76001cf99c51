package dev.tally.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * H2, the embedded default: a file database opened by one process only (so that process is always
 * the leader), in the JVM (so a statement costs no round trip and IN-lists and per-table batches are
 * as cheap as anything), and durable only when told to be ({@code WRITE_DELAY=0}, checked here).
 */
final class H2Dialect extends Dialect {

    private static final Map<String, String> FLYWAY_PLACEHOLDERS = Map.of(
            "collate",
            "",
            "utc_hour_of_record_time",
            "DATE_TRUNC('HOUR', record_time)",
            "utc_day_of_record_time",
            "DATE_TRUNC('DAY', record_time)",
            // ISO_WEEK starts on Monday; H2's WEEK starts on Sunday
            "utc_week_of_record_time",
            "DATE_TRUNC('ISO_WEEK', record_time)",
            "summaries_fillfactor",
            "",
            "records_order_include",
            "");

    /**
     * The settings that make a commit durable when it returns. {@code WRITE_DELAY=0}: with H2's
     * default (500 ms) a COMMIT returns while its changes are only in the JVM's memory, and a SIGKILL
     * lost acknowledged records; with 0, H2 writes the commit to the file (the operating system's
     * page cache, no fsync) before COMMIT returns, which survives the death of the process but not
     * of the machine. H2 takes the setting from the connection that opens the database, so every
     * connection sets it (docs/reliability.md).
     */
    private static final Map<String, String> DURABLE_COMMIT_SETTINGS = Map.of("WRITE_DELAY", "0");

    /**
     * The values of a setting in use: two rows once the setting was given, the value stored in the
     * database and the one in use (after a reopen without the setting they differ); every row must
     * say the required value.
     */
    private static final String SETTING =
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?";

    /** Ids per look-up statement: large enough to batch, small enough for any driver's parameter limit. */
    static final int IDS_PER_QUERY = 1_000;

    /** Keys per look-up statement (two parameters each). */
    static final int KEYS_PER_QUERY = 500;

    /** H2 has no ON CONFLICT ... DO UPDATE: PostgreSQL's upsert of one level's buckets as a MERGE. */
    private static final String ADD_TO_ROLLUP = """
            MERGE INTO %1$s t
            USING (SELECT destination_id, unit, record_type, %3$s AS bucket_start, COUNT(*) AS n,
                          SUM(amount) AS amount, MAX(amount_scale) AS scale
                   FROM records
                   WHERE seq > ? AND seq <= ?
                   GROUP BY destination_id, unit, record_type, %3$s) s
            ON (t.destination_id = s.destination_id AND t.unit = s.unit AND t.record_type = s.record_type
                AND t.%2$s = s.bucket_start)
            WHEN MATCHED THEN UPDATE SET record_count = t.record_count + s.n, amount_sum = t.amount_sum + s.amount,
                max_scale = GREATEST(t.max_scale, s.scale)
            WHEN NOT MATCHED THEN INSERT (destination_id, unit, record_type, %2$s, record_count, amount_sum, max_scale)
                VALUES (s.destination_id, s.unit, s.record_type, s.bucket_start, s.n, s.amount, s.scale)""";

    @Override
    public Map<String, String> flywayPlaceholders() {
        return FLYWAY_PLACEHOLDERS;
    }

    /**
     * A file database ({@code jdbc:h2:file:...} or a bare path) is opened as {@code jdbc:h2:async:...};
     * other modes ({@code mem:}, {@code tcp:}, another file system) are left as they are. With
     * {@code WRITE_DELAY=0} every commit writes the file in the committing thread, and an interrupt of
     * a thread blocked in a {@code FileChannel} write closes the channel, upon which H2 closes the
     * whole database for every connection; threads are interrupted in ordinary operation (a pool
     * shutting down, a second context closing). The {@code async:} file system completes the write
     * through an {@code AsynchronousFileChannel} instead; the file and its format are the same
     * ({@code DurableCommitsH2IT}).
     */
    @Override
    public String openUrl(String url) {
        String rest = url.substring("jdbc:h2:".length());
        if (rest.startsWith("file:")) {
            return "jdbc:h2:async:" + rest.substring("file:".length());
        }
        if (rest.matches("(?s)[A-Za-z][A-Za-z0-9]+:.*")) {
            return url; // mem:, tcp:, ssl:, async: or another file system: not ours to change
        }
        return "jdbc:h2:async:" + rest;
    }

    @Override
    public Map<String, String> driverProperties() {
        return DURABLE_COMMIT_SETTINGS;
    }

    /** H2 itself would only report a "Duplicate property" for a URL that sets them otherwise. */
    @Override
    public void checkJdbcUrl(String url) {
        for (String part : url.split("[;?&]")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            DURABLE_COMMIT_SETTINGS.forEach((setting, required) -> {
                if (setting.equalsIgnoreCase(key) && !required.equalsIgnoreCase(value)) {
                    throw new IllegalStateException(notDurable(setting, value, required)
                            + " Remove " + key + "=" + value + " from spring.datasource.url: Tally sets " + setting
                            + "=" + required + " itself.");
                }
            });
        }
    }

    @Override
    public void requireDurableCommits(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(SETTING)) {
            for (Map.Entry<String, String> setting : DURABLE_COMMIT_SETTINGS.entrySet()) {
                s.setString(1, setting.getKey());
                List<String> values = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
                for (String value : values.isEmpty() ? List.of("(not reported)") : values) {
                    if (!setting.getValue().equalsIgnoreCase(value)) {
                        throw new IllegalStateException(notDurable(setting.getKey(), value, setting.getValue())
                                + " Give " + setting.getKey() + "=" + setting.getValue() + " in the JDBC URL of this"
                                + " DataSource.");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database's commit settings at start-up", e);
        }
    }

    private String notDurable(String setting, String value, String required) {
        return "Not durable: " + this + " has " + setting + "=" + value + ", with which a commit can return (and"
                + " Tally acknowledge a record) before it would survive a crash of the process; Tally needs "
                + setting + "=" + required + " (docs/reliability.md).";
    }

    /** The database file is opened by one process only: that process is always the leader. */
    @Override
    Optional<LeaderLock.Held> tryLeaderLock(DataSource dataSource, int key) {
        return Optional.of(LeaderLock.heldByTheOnlyProcess(key));
    }

    @Override
    BatchWriter batchWriter(
            JdbcTemplate jdbc,
            RecordStore records,
            SummaryStore summaries,
            OutboxTable outbox,
            SequencerStore sequencer) {
        return new H2BatchWriter(records, summaries, outbox, sequencer);
    }

    @Override
    void findRecords(JdbcTemplate jdbc, Collection<String> ids, RowCallbackHandler row) {
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY));
            String sql = "SELECT " + RecordStore.COLUMNS + " FROM records WHERE record_id IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)";
            jdbc.query(sql, row, chunk.toArray());
        }
    }

    @Override
    void findSummaries(JdbcTemplate jdbc, Collection<SummaryStore.Key> keys, RowCallbackHandler row) {
        List<SummaryStore.Key> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<SummaryStore.Key> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            String sql = "SELECT " + SummaryStore.COLUMNS + " FROM summaries WHERE (destination_id, reference) IN ("
                    + "(?, ?),".repeat(chunk.size() - 1) + "(?, ?))";
            Object[] args = new Object[chunk.size() * 2];
            for (int i = 0; i < chunk.size(); i++) {
                args[2 * i] = chunk.get(i).destinationId();
                args[2 * i + 1] = chunk.get(i).reference();
            }
            jdbc.query(sql, row, args);
        }
    }

    @Override
    void addToRollup(JdbcTemplate jdbc, Rollup level, long after, long upTo) {
        jdbc.update(
                ADD_TO_ROLLUP.formatted(level.table(), level.startColumn(), level.bucketOfRecordTime(this)),
                after,
                upTo);
    }

    /**
     * SERIALIZABLE: H2's REPEATABLE READ is not one snapshot (a table first read after another
     * transaction committed shows that commit; checked with H2 2.4), its SERIALIZABLE keeps the
     * snapshot of the first read for every table.
     */
    @Override
    void startReadSnapshot(Connection c) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    }

    /** H2 has no COPY: the aggregation reads its groups with cursors. */
    @Override
    Optional<PGConnection> copyConnection(Connection c) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "H2";
    }
}
