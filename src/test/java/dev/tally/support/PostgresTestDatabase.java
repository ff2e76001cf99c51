package dev.tally.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real PostgreSQL the integration tests run against: {@code 127.0.0.1:5432}, user
 * {@code postgres}, database {@code tally_test}, dropped and created afresh once per test run, so
 * that the migrations always run from V1 as they do in a new installation (a database left by a
 * run of another branch would otherwise fail Flyway's validation). Override with the
 * environment variables {@code TALLY_TEST_PG_HOST}, {@code TALLY_TEST_PG_PORT},
 * {@code TALLY_TEST_PG_USER}, {@code TALLY_TEST_PG_PASSWORD}, {@code TALLY_TEST_PG_DATABASE}.
 */
public final class PostgresTestDatabase {

    public static final String HOST = env("TALLY_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = env("TALLY_TEST_PG_PORT", "5432");
    public static final String USER = env("TALLY_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("TALLY_TEST_PG_PASSWORD", "");
    public static final String DATABASE = env("TALLY_TEST_PG_DATABASE", "tally_test");

    /** Test pools idle down to this many connections (see {@link PostgresContextInitializer}). */
    static final int POOL_MINIMUM_IDLE = 1;

    static final long POOL_IDLE_TIMEOUT_MS = 10_000;

    private static volatile boolean created;

    private PostgresTestDatabase() {}

    public static String url() {
        return url(DATABASE);
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** Creates {@code database} if it does not exist; returns its JDBC URL. */
    public static synchronized String ensure(String database) {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE \"" + database + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + HOST + ":" + PORT + " as " + USER
                            + ". Start it (see README, 'Running the tests') and retry.",
                    e);
        }
        return url(database);
    }

    /**
     * Drops {@code database} (closing its sessions) and creates it empty; returns its JDBC URL. For
     * tests that need several databases: name them {@code <TALLY_TEST_PG_DATABASE>_<suffix>}, so that
     * parallel runs with their own test database do not share them.
     */
    public static synchronized String recreate(String suffix) {
        String database = DATABASE + "_" + suffix;
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the test database " + database + ": " + e.getMessage(), e);
        }
        return ensure(database);
    }

    /**
     * Creates {@code <TALLY_TEST_PG_DATABASE>_<copySuffix>} as a copy of {@code ..._<suffix>} (what a
     * restore from a backup taken now gives); nobody may be connected to the original meanwhile.
     */
    public static synchronized String copy(String suffix, String copySuffix) {
        String original = DATABASE + "_" + suffix;
        String copy = DATABASE + "_" + copySuffix;
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + copy + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + copy + "\" TEMPLATE \"" + original + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot copy " + original + " to " + copy + ": " + e.getMessage(), e);
        }
        return url(copy);
    }

    /** The test database, new at the first call of this test run. */
    public static synchronized String ensure() {
        if (!created) {
            try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + DATABASE + "\" WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "Cannot drop the test database " + DATABASE + " at " + HOST + ":" + PORT + ": "
                                + e.getMessage(),
                        e);
            }
            ensure(DATABASE);
            created = true;
        }
        return url();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
