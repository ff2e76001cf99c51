package dev.tally.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What differs between PostgreSQL and H2, named once: each database is one subclass,
 * {@link PostgresDialect} and {@link H2Dialect}, implementing every operation below its own way.
 * The SQL that is the same on both (H2 runs in PostgreSQL compatibility mode) stays in the store of
 * its table; a statement that differs has its two forms in the two subclasses.
 *
 * <p>Durable at acknowledgement (SPEC §3.6): a COMMIT must not return before its changes would
 * survive the death of the service's process. A dialect whose database needs settings for that
 * adds them to every pooled connection ({@link #driverProperties}), refuses a URL that contradicts
 * them before the pool opens ({@link #checkJdbcUrl}) and reads them back at start-up
 * ({@link #requireDurableCommits}); fixing a bad URL silently would hide a wrong belief of its
 * author, refusing says why (docs/reliability.md).
 */
public abstract sealed class Dialect permits PostgresDialect, H2Dialect {

    // The subclasses are package-private and made only here, so their initialisation cannot race
    // with this class's.
    public static final Dialect POSTGRESQL = new PostgresDialect();
    public static final Dialect H2 = new H2Dialect();

    Dialect() {}

    // --- schema and connections ---

    /**
     * Placeholders for the migrations (V1: {@code ${collate}}; V3: {@code ${utc_hour_of_record_time}},
     * the UTC hour a record's time falls in, whatever the session's time zone; V4: {@code ${summaries_fillfactor}},
     * PostgreSQL's page fill factor for HOT updates of summaries; V5: {@code ${records_order_include}}, the
     * columns the aggregation stream reads from its index; V6: the UTC hour's placeholder for the UTC day and
     * the Monday-aligned UTC week, the buckets of {@link Rollup}).
     */
    public abstract Map<String, String> flywayPlaceholders();

    /** The JDBC URL the pool opens for the configured {@code url}. */
    public abstract String openUrl(String url);

    /** Connection properties the driver needs: for the write path's performance, and for durable commits. */
    public abstract Map<String, String> driverProperties();

    /**
     * Refuses a JDBC URL that sets one of the durable-commit settings to another value, with a
     * message that names it.
     */
    public abstract void checkJdbcUrl(String url);

    /**
     * Reads the durable-commit settings in use from one connection and refuses to start when one
     * differs (for example a DataSource that is not the pool Tally configures).
     */
    public abstract void requireDurableCommits(DataSource dataSource);

    // --- the operations of the stores that differ ---

    /**
     * Tries once, without waiting, to make this process the leader for {@code key}
     * ({@link LeaderLock}).
     */
    abstract Optional<LeaderLock.Held> tryLeaderLock(DataSource dataSource, int key) throws SQLException;

    /** The write transaction's writer in this database's form. */
    abstract BatchWriter batchWriter(
            JdbcTemplate jdbc,
            RecordStore records,
            SummaryStore summaries,
            OutboxTable outbox,
            SequencerStore sequencer);

    /** Hands every stored record among {@code ids} (selected with {@link RecordStore#COLUMNS}) to {@code row}. */
    abstract void findRecords(JdbcTemplate jdbc, Collection<String> ids, RowCallbackHandler row);

    /**
     * Hands every stored summary among {@code keys} to {@code row}, as the columns of
     * {@link SummaryStore#COLUMNS}, in that order.
     */
    abstract void findSummaries(JdbcTemplate jdbc, Collection<SummaryStore.Key> keys, RowCallbackHandler row);

    /** Adds the records with seq in ({@code after}, {@code upTo}] to the buckets of {@code level}. */
    abstract void addToRollup(JdbcTemplate jdbc, Rollup level, long after, long upTo);

    /**
     * Starts an aggregation's read-only transaction on {@code c} (auto-commit already off): the
     * isolation that keeps ONE snapshot for all its statements, so that the totals, the records and
     * the rollups' watermark agree, and the session settings of the read.
     */
    abstract void startReadSnapshot(Connection c) throws SQLException;

    /**
     * {@code c} as the PostgreSQL driver's connection when an aggregation's groups with records are
     * read through binary COPY ({@link AggregationReader}); empty where the database has no COPY and
     * cursors are used.
     */
    abstract Optional<PGConnection> copyConnection(Connection c) throws SQLException;

    // --- which one ---

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
