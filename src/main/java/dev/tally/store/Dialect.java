package dev.tally.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Everything that differs between PostgreSQL and H2, in one place. The SQL itself is written once
 * (H2 runs in PostgreSQL compatibility mode); what differs is collation in the schema and driver
 * settings.
 */
public enum Dialect {
    /**
     * {@code reWriteBatchedInserts} turns a JDBC batch of INSERTs into multi-row INSERTs: one
     * round trip per few hundred rows instead of one per row.
     *
     * <p>{@code plan_cache_mode=force_custom_plan}: every execution of a prepared statement is
     * planned for its parameters and the tables' current size. Otherwise, after five executions
     * PostgreSQL may keep one generic plan for the life of the connection, and a plan made while
     * {@code records} and {@code summaries} were nearly empty is a sequential scan: on a fresh
     * database, one-record requests scanned both tables in every transaction (26.7 M and 44.6 M
     * rows read for 37,382 records; 901 rec/s, falling, against 1,449 with this setting; see
     * docs/performance.md, item 8). Only an ANALYZE invalidates such a plan, and autovacuum may be
     * off or late. The cost is planning each statement, well under a millisecond for ours.
     */
    POSTGRESQL(
            Map.of(
                    "collate",
                    "COLLATE \"C\"",
                    "utc_hour_of_record_time",
                    "date_trunc('hour', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
                    "utc_day_of_record_time",
                    "date_trunc('day', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
                    // date_trunc('week') is ISO: weeks start on Monday, as Rollup.WEEK
                    "utc_week_of_record_time",
                    "date_trunc('week', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
                    "summaries_fillfactor",
                    "ALTER TABLE summaries SET (fillfactor = 70);",
                    "records_order_include",
                    "INCLUDE (source_id, record_type, amount, amount_scale, unit, reference)"),
            Map.of("reWriteBatchedInserts", "true", "options", "-c plan_cache_mode=force_custom_plan"),
            true,
            List.of("SET LOCAL jit = off"),
            "SELECT pg_try_advisory_lock(?, ?)",
            "SELECT pg_advisory_unlock(?, ?)",
            // Nothing to set or check: a commit returns after its WAL is flushed with the server's
            // default synchronous_commit = on. Tally does not force it, so that an operator's stronger
            // remote_apply stays (and an operator's "off" is theirs; docs/reliability.md).
            Map.of(),
            null),
    /**
     * An H2 file database is opened by one process only, so that process is always the leader.
     *
     * <p>{@code WRITE_DELAY=0}: H2's default (500 ms) lets a COMMIT return while its changes are
     * still only in the JVM's memory; the MVStore writes them to the file in the background up to
     * that long afterwards. A record acknowledged in that window is lost when the process dies:
     * in a loop of SIGKILLs under HTTP ingest, 6.9 % of acknowledged records (issue 9;
     * docs/reliability.md). With 0, H2 2.x stores the MVStore at the end of every transaction that
     * changed something ({@code TransactionStore.endTransaction} calls {@code MVStore.commit()},
     * which writes the chunk in the committing thread) before COMMIT returns. It does not fsync
     * ({@code FileChannel.force} runs only at close, compaction and {@code CHECKPOINT SYNC}): the
     * commit is in the operating system's page cache, which survives the death of the process
     * (SIGKILL, OOM kill, JVM crash) but not of the machine (kernel panic, power loss). The
     * setting is taken from the connection that opens the database, whatever an earlier run
     * stored, so every connection sets it.
     */
    H2(
            Map.of(
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
                    ""),
            Map.of(),
            false,
            List.of(),
            null,
            null,
            Map.of("WRITE_DELAY", "0"),
            // Two rows once the setting was given: the value stored in the database and the one in
            // use (after a reopen without the setting they differ); every row must say 0.
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?") {
        /**
         * With {@code WRITE_DELAY=0} every commit writes the file in the committing thread, and an
         * interrupt of a thread blocked in a {@code FileChannel} write closes the channel
         * ({@code ClosedByInterruptException}): H2 then closes the whole database, for every
         * connection of the process. Threads are interrupted in ordinary operation (a scheduler or
         * a pool shutting down, a second instance's context closing in the same JVM). H2's
         * {@code async:} file system writes through an {@code AsynchronousFileChannel} and waits for
         * the write without giving way to an interrupt (it sets the flag again afterwards), so
         * the same commit completes; the file and its format are the same. So a file database
         * ({@code jdbc:h2:file:...} or a bare path) is opened as {@code jdbc:h2:async:...}; other
         * modes ({@code mem:}, {@code tcp:}, another file system) are left as they are.
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
    };

    private final Map<String, String> flywayPlaceholders;
    private final Map<String, String> driverProperties;
    private final boolean bulkStatements;
    private final List<String> aggregationSettings;

    private final String tryLeaderLock;
    private final String releaseLeaderLock;
    private final Map<String, String> durableCommitSettings;
    private final String settingSql;

    Dialect(
            Map<String, String> flywayPlaceholders,
            Map<String, String> driverProperties,
            boolean bulkStatements,
            List<String> aggregationSettings,
            String tryLeaderLock,
            String releaseLeaderLock,
            Map<String, String> durableCommitSettings,
            String settingSql) {
        this.flywayPlaceholders = flywayPlaceholders;
        Map<String, String> all = new TreeMap<>(driverProperties);
        all.putAll(durableCommitSettings);
        this.driverProperties = Map.copyOf(all);
        this.bulkStatements = bulkStatements;
        this.aggregationSettings = aggregationSettings;
        this.tryLeaderLock = tryLeaderLock;
        this.releaseLeaderLock = releaseLeaderLock;
        this.durableCommitSettings = durableCommitSettings;
        this.settingSql = settingSql;
    }

    /*
     * Durable at acknowledgement (SPEC §3.6): a COMMIT must not return before its changes would
     * survive the death of the service's process. The settings that make it so are in ONE place,
     * durableCommitSettings, and cannot be forgotten by a URL written elsewhere (application.properties,
     * a test, an operator's SPRING_DATASOURCE_URL): they are added to every pooled connection's
     * driver properties (driverProperties), a URL that sets them otherwise is refused before the
     * pool opens (checkJdbcUrl), and the values in use are read back from the database at start-up
     * (requireDurableCommits), which also catches a DataSource the pool settings never reached.
     * Fixing a bad URL silently would hide a wrong belief of its author; refusing says why.
     */

    /** The JDBC URL the pool opens for the configured {@code url}: the same, unless a dialect says otherwise. */
    public String openUrl(String url) {
        return url;
    }

    /**
     * Refuses a JDBC URL that sets one of the durable-commit settings to another value, with a
     * message that names it (H2 itself would only report a "Duplicate property").
     */
    public void checkJdbcUrl(String url) {
        for (String part : url.split("[;?&]")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            durableCommitSettings.forEach((setting, required) -> {
                if (setting.equalsIgnoreCase(key) && !required.equalsIgnoreCase(value)) {
                    throw new IllegalStateException(notDurable(setting, value, required)
                            + " Remove " + key + "=" + value + " from spring.datasource.url: Tally sets " + setting
                            + "=" + required + " itself.");
                }
            });
        }
    }

    /**
     * Reads the durable-commit settings in use from one connection and refuses to start when one
     * differs (for example a DataSource that is not the pool Tally configures).
     */
    public void requireDurableCommits(DataSource dataSource) {
        if (durableCommitSettings.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(settingSql)) {
            for (Map.Entry<String, String> setting : durableCommitSettings.entrySet()) {
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

    /**
     * A session-level lock that makes one connection the leader for {@code (class, key)}, as
     * {@code SELECT <boolean>} with the two ints as parameters; {@code null} when the database is
     * owned by one process anyway (see {@link LeaderLock}).
     */
    String tryLeaderLockSql() {
        return tryLeaderLock;
    }

    String releaseLeaderLockSql() {
        return releaseLeaderLock;
    }

    /**
     * Statements run at the start of an aggregation's read-only transaction. PostgreSQL: no JIT —
     * for the totals query over 4 M hourly rows, EXPLAIN ANALYZE showed 2.3-3.1 s of JIT
     * compilation (summed over the parallel workers) and the query ran 4.6 s without JIT against
     * 5.3 s with it (docs/performance.md); a streamed cursor cannot amortise the compilation.
     */
    public List<String> aggregationSettings() {
        return aggregationSettings;
    }

    /**
     * True when the write path's look-ups bind whole arrays ({@code = ANY(?)}, {@code unnest(?, ?)}):
     * ONE statement per batch whose text never changes, so the server plans it once. On PostgreSQL
     * the alternative, IN-lists of hundreds of (destination, reference) pairs, cost more to plan
     * than to run (the profile in docs/performance.md: 97% of the write time). H2 keeps IN-lists.
     */
    public boolean arrayLookups() {
        return bulkStatements;
    }

    /**
     * True when {@code GET /v1/aggregations} with records is ONE statement read through binary
     * {@code COPY ... TO STDOUT} ({@code query.CopyAggregation}); H2 has no COPY and uses cursors.
     */
    public boolean streamsByCopy() {
        return bulkStatements;
    }

    /**
     * True when the rollups are added to with {@code INSERT ... ON CONFLICT DO UPDATE} (PostgreSQL);
     * H2 has only {@code DO NOTHING} and uses MERGE ({@link RollupStore#add}).
     */
    public boolean upsertsOnConflict() {
        return bulkStatements;
    }

    /**
     * The isolation of an aggregation's read-only transaction: one snapshot for all its statements,
     * so that the totals, the records and the rollups' watermark agree. PostgreSQL's REPEATABLE
     * READ is that snapshot. H2's REPEATABLE READ is not: a table first read after another
     * transaction committed shows that commit (checked with H2 2.4: a row inserted and committed by
     * another connection after this transaction's first read of a different table is seen);
     * H2's SERIALIZABLE keeps the snapshot of the first read for every table.
     */
    public int aggregationIsolation() {
        return bulkStatements ? Connection.TRANSACTION_REPEATABLE_READ : Connection.TRANSACTION_SERIALIZABLE;
    }

    /** Connection properties the driver needs: for the write path's performance, and for durable commits. */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /**
     * Placeholders for the migrations (see V1: {@code ${collate}}; V3: {@code ${utc_hour_of_record_time}},
     * the UTC hour a record's time falls in, whatever the session's time zone; V4: {@code ${summaries_fillfactor}},
     * PostgreSQL's page fill factor for HOT updates of summaries; V5: {@code ${records_order_include}}, the
     * columns the aggregation stream reads from its index; V6: the UTC hour's placeholder for the UTC day and
     * the Monday-aligned UTC week, the buckets of {@link Rollup}).
     */
    public Map<String, String> flywayPlaceholders() {
        return flywayPlaceholders;
    }

    public static Dialect ofJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalStateException("Unsupported database " + url + ": Tally runs on PostgreSQL or H2");
    }

    public static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return ofJdbcUrl(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database's kind at start-up", e);
        }
    }
}
