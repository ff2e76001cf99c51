package dev.tally.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * PostgreSQL, the system of record: shared by instances (so an advisory lock elects a leader), a
 * round trip per statement (so the write path binds whole arrays and writes in one statement), and
 * COPY for the aggregation stream. The measurements behind each choice are in docs/performance.md.
 */
final class PostgresDialect extends Dialect {

    private static final Map<String, String> FLYWAY_PLACEHOLDERS = Map.of(
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
            "INCLUDE (source_id, record_type, amount, amount_scale, unit, reference)");

    /**
     * {@code reWriteBatchedInserts}: a JDBC batch of INSERTs becomes multi-row INSERTs, one round
     * trip per few hundred rows. {@code plan_cache_mode=force_custom_plan}: every execution is
     * planned for the tables' current size, because a generic plan cached while {@code records}
     * and {@code summaries} were nearly empty stays a sequential scan until an ANALYZE
     * (docs/performance.md, item 8; {@code PlanCachePostgresIT}).
     */
    private static final Map<String, String> DRIVER_PROPERTIES =
            Map.of("reWriteBatchedInserts", "true", "options", "-c plan_cache_mode=force_custom_plan");

    /**
     * The write path's look-ups bind the whole batch as arrays: ONE statement whose text never
     * changes with the batch, planned once (IN-lists of hundreds of keys cost more to plan than to
     * run; docs/performance.md, item 1).
     */
    private static final String FIND_RECORDS =
            "SELECT " + RecordStore.COLUMNS + " FROM records WHERE record_id = ANY(?)";

    /** All keys of a batch as two parallel arrays, joined on the primary key (see {@link #FIND_RECORDS}). */
    private static final String FIND_SUMMARIES = """
            SELECT s.destination_id, s.reference, s.record_count, s.first_time, s.last_time, s.totals
            FROM summaries s JOIN unnest(?::text[], ?::text[]) AS k(destination_id, reference)
              ON s.destination_id = k.destination_id AND s.reference = k.reference""";

    /**
     * One level's buckets of the records in a seq range, added with an upsert (each key once: the
     * rows are grouped first, as ON CONFLICT requires). {@code %1$s} the level's table,
     * {@code %2$s} its start column, {@code %3$s} the bucket of {@code record_time}.
     */
    private static final String ADD_TO_ROLLUP = """
            INSERT INTO %1$s (destination_id, unit, record_type, %2$s, record_count, amount_sum, max_scale)
            SELECT destination_id, unit, record_type, %3$s, COUNT(*), SUM(amount), MAX(amount_scale)
            FROM records
            WHERE seq > ? AND seq <= ?
            GROUP BY destination_id, unit, record_type, %3$s
            ON CONFLICT (destination_id, unit, record_type, %2$s) DO UPDATE
            SET record_count = %1$s.record_count + EXCLUDED.record_count,
                amount_sum = %1$s.amount_sum + EXCLUDED.amount_sum,
                max_scale = GREATEST(%1$s.max_scale, EXCLUDED.max_scale)""";

    /**
     * No JIT for an aggregation: its compilation cost more than it saved on the totals query, and a
     * streamed read cannot amortise it (docs/performance.md, item 4).
     */
    private static final String READ_SETTINGS = "SET LOCAL jit = off";

    @Override
    public Map<String, String> flywayPlaceholders() {
        return FLYWAY_PLACEHOLDERS;
    }

    @Override
    public String openUrl(String url) {
        return url;
    }

    @Override
    public Map<String, String> driverProperties() {
        return DRIVER_PROPERTIES;
    }

    /*
     * Nothing to set or check for durable commits: a commit returns after its WAL is flushed with the
     * server's default synchronous_commit = on. Tally does not force it, so that an operator's stronger
     * remote_apply stays (and an operator's "off" is theirs; docs/reliability.md).
     */

    @Override
    public void checkJdbcUrl(String url) {}

    @Override
    public void requireDurableCommits(DataSource dataSource) {}

    /** A session-level advisory lock on a connection of its own: shared databases need an election. */
    @Override
    Optional<LeaderLock.Held> tryLeaderLock(DataSource dataSource, int key) throws SQLException {
        return LeaderLock.tryAdvisoryLock(dataSource, key);
    }

    @Override
    BatchWriter batchWriter(
            JdbcTemplate jdbc,
            RecordStore records,
            SummaryStore summaries,
            OutboxTable outbox,
            SequencerStore sequencer) {
        return new PostgresBatchWriter(jdbc);
    }

    @Override
    void findRecords(JdbcTemplate jdbc, Collection<String> ids, RowCallbackHandler row) {
        jdbc.query(FIND_RECORDS, ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray())), row);
    }

    @Override
    void findSummaries(JdbcTemplate jdbc, Collection<SummaryStore.Key> keys, RowCallbackHandler row) {
        String[] destinations = new String[keys.size()];
        String[] references = new String[keys.size()];
        int i = 0;
        for (SummaryStore.Key k : keys) {
            destinations[i] = k.destinationId();
            references[i++] = k.reference();
        }
        jdbc.query(
                FIND_SUMMARIES,
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", destinations));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", references));
                },
                row);
    }

    @Override
    void addToRollup(JdbcTemplate jdbc, Rollup level, long after, long upTo) {
        jdbc.update(
                ADD_TO_ROLLUP.formatted(level.table(), level.startColumn(), level.bucketOfRecordTime(this)),
                after,
                upTo);
    }

    /** REPEATABLE READ is one snapshot for the whole transaction on PostgreSQL. */
    @Override
    void startReadSnapshot(Connection c) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.execute(READ_SETTINGS);
        }
    }

    @Override
    Optional<PGConnection> copyConnection(Connection c) throws SQLException {
        return Optional.of(c.unwrap(PGConnection.class));
    }

    @Override
    public String toString() {
        return "POSTGRESQL";
    }
}
