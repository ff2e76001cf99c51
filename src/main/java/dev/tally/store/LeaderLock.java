package dev.tally.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "At most one instance does this at a time": a PostgreSQL session-level advisory lock held on a
 * dedicated connection. If the holder dies, its connection closes and the lock is free again; if it
 * loses its connection while alive, {@link Held#stillHeld()} turns false so it stops. The lock is
 * an efficiency guard, not the safety net: what must never happen twice is fenced by the resource
 * itself (for the relay, Kafka's transactional.id).
 *
 * <p>Whether a database needs the election is its {@link Dialect}'s call: on H2 the database file
 * is opened by one process only, so that process always holds the lock.
 */
public final class LeaderLock {

    private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

    /** The advisory-lock class of Tally's locks ("tally" on a phone keypad). */
    private static final int LOCK_CLASS = 82559;

    private static final long VALIDATION_INTERVAL_MS = 2_000;

    private static final String TRY_ADVISORY_LOCK = "SELECT pg_try_advisory_lock(?, ?)";

    private static final String ADVISORY_UNLOCK = "SELECT pg_advisory_unlock(?, ?)";

    private LeaderLock() {}

    /** Tries once, without waiting. */
    public static Optional<Held> tryAcquire(DataSource dataSource, Dialect dialect, int key) throws SQLException {
        return dialect.tryLeaderLock(dataSource, key);
    }

    /** The lock of a database that one process owns anyway: always held, nothing to release. */
    static Held heldByTheOnlyProcess(int key) {
        return new Held(null, key);
    }

    /** PostgreSQL: a session-level advisory lock on a connection of its own, tried once. */
    static Optional<Held> tryAdvisoryLock(DataSource dataSource, int key) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(TRY_ADVISORY_LOCK)) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return Optional.of(new Held(c, key));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    /** A held lock; closing it releases it. */
    public static final class Held implements AutoCloseable {
        private final @Nullable Connection connection;
        private final int key;
        private long validatedAtMs = System.currentTimeMillis();

        private Held(@Nullable Connection connection, int key) {
            this.connection = connection;
            this.key = key;
        }

        /** False once the lock's connection is gone (checked at most every 2 s, bounded by a 2 s timeout). */
        public boolean stillHeld() {
            if (connection == null) {
                return true;
            }
            long now = System.currentTimeMillis();
            if (now - validatedAtMs < VALIDATION_INTERVAL_MS) {
                return true;
            }
            try {
                boolean valid = connection.isValid(2);
                validatedAtMs = now;
                return valid;
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (connection == null) {
                return;
            }
            try (connection;
                    PreparedStatement ps = connection.prepareStatement(ADVISORY_UNLOCK)) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                ps.execute();
            } catch (SQLException e) {
                // The connection is gone, and with it the lock: nothing more to release.
                log.debug("Releasing leader lock {} failed; the session ended with its connection", key, e);
            }
        }
    }
}
