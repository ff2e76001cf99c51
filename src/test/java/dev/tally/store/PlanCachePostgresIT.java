package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.UsePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The pool's connections plan each execution for its parameters and the tables' current size
 * ({@code plan_cache_mode=force_custom_plan}, see {@link Dialect#POSTGRESQL}). With PostgreSQL's
 * default, a prepared statement run often while {@code records} was nearly empty keeps a generic
 * sequential-scan plan after the table has grown: the dedup look-up then read the whole table in
 * every write transaction.
 */
@UsePostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlanCachePostgresIT extends IntegrationTestSupport {

    @Autowired
    private DataSource dataSource;

    @Test
    void theDedupLookUpFindsIdsByThePrimaryKeyAfterTheTableGrew() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                assertThat(seqScansAfterGrowth(c, "auto"))
                        .as("precondition: PostgreSQL's default keeps the plan made on the empty table")
                        .isPositive();
            } finally {
                c.rollback();
            }
            try {
                assertThat(seqScansAfterGrowth(c, null))
                        .as("the pool's own setting")
                        .isZero();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * In one transaction: the writer's dedup statement run 12 times on the empty table, 20,000
     * records added, the same statement once more; returns the sequential scans of {@code records}
     * that last run made. {@code mode} overrides the connection's plan cache mode when not null.
     */
    private static long seqScansAfterGrowth(Connection c, String mode) throws SQLException {
        try (Statement s = c.createStatement()) {
            // An empty table of the same shape that hides the real one for this transaction (the
            // temporary schema comes first in the search path), so that the table starts empty
            // whatever earlier tests left in the real one.
            s.execute("CREATE TEMPORARY TABLE records (LIKE public.records INCLUDING ALL) ON COMMIT DROP");
            if (mode != null) {
                s.execute("SET LOCAL plan_cache_mode = " + mode);
            }
        }
        try (PreparedStatement find =
                c.prepareStatement("SELECT " + RecordStore.COLUMNS + " FROM records WHERE record_id = ANY(?)")) {
            find.setArray(1, c.createArrayOf("text", new String[] {"a", "b"}));
            for (int i = 0; i < 12; i++) {
                find.executeQuery().close();
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO records (record_id, seq, record_time, source_id, destination_id, record_type,"
                        + " amount, amount_scale, unit, reference, processed_at)"
                        + " SELECT 'bulk-' || g, -g, now(), 's', 'd', 'positive', 1, 0, 'SEK', 'r', now()"
                        + " FROM generate_series(1, 20000) g");
            }
            long before = seqScans(c);
            find.setArray(1, c.createArrayOf("text", new String[] {"bulk-7", "bulk-9"}));
            try (ResultSet rs = find.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(2);
            }
            return seqScans(c) - before;
        }
    }

    /**
     * This transaction's scans of {@code records} (the temporary one) so far, from the backend's own
     * counters: sequential scans, since the index scans are counted per index, not here.
     */
    private static long seqScans(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_stat_get_xact_numscans('records'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
