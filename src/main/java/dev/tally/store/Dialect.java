package dev.tally.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
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
     */
    POSTGRESQL(Map.of("collate", "COLLATE \"C\""), Map.of("reWriteBatchedInserts", "true"),
            "SELECT pg_try_advisory_lock(?, ?)", "SELECT pg_advisory_unlock(?, ?)"),
    /** An H2 file database is opened by one process only, so that process is always the leader. */
    H2(Map.of("collate", ""), Map.of(), null, null);

    private final Map<String, String> flywayPlaceholders;
    private final Map<String, String> driverProperties;

    private final String tryLeaderLock;
    private final String releaseLeaderLock;

    Dialect(Map<String, String> flywayPlaceholders, Map<String, String> driverProperties, String tryLeaderLock,
            String releaseLeaderLock) {
        this.flywayPlaceholders = flywayPlaceholders;
        this.driverProperties = driverProperties;
        this.tryLeaderLock = tryLeaderLock;
        this.releaseLeaderLock = releaseLeaderLock;
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

    /** Connection properties the driver needs for the write path's performance. */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /** Placeholders for the migrations (see V1: {@code ${collate}}). */
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
