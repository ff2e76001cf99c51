package dev.tally.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Samples the database's checkpoints (pg_stat_bgwriter) and autovacuum workers while a scenario runs. */
final class BackgroundWork {
    private final Connection connection;
    private final long checkpointsBefore;
    private final long checkpointBuffersBefore;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread sampler;

    private BackgroundWork(Connection connection) throws SQLException {
        this.connection = connection;
        this.checkpointsBefore = checkpoints(connection);
        this.checkpointBuffersBefore = checkpointBuffers(connection);
        this.sampler = Threads.start(this::sample);
    }

    static BackgroundWork start(String jdbcUrl) throws SQLException {
        return new BackgroundWork(DriverManager.getConnection(jdbcUrl));
    }

    private void sample() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT query FROM pg_stat_activity"
                + " WHERE backend_type = 'autovacuum worker' AND datname = current_database()")) {
            while (!stop.get()) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen.add(rs.getString(1).replace("autovacuum: ", ""));
                    }
                }
                Thread.sleep(200);
            }
        } catch (Exception e) {
            seen.add("(sampling failed: " + e + ")");
        }
    }

    /** Stops sampling; what was seen, as one line. */
    String stop() throws Exception {
        stop.set(true);
        sampler.join();
        long checkpoints = checkpoints(connection) - checkpointsBefore;
        // A checkpoint spreads its writes over checkpoint_completion_target of the interval
        // (70-90 s after the batch scenario here), so one can run through the whole window
        // without completing in it: the buffers it wrote show it.
        long checkpointBuffers = checkpointBuffers(connection) - checkpointBuffersBefore;
        connection.close();
        return checkpoints + " checkpoint(s) completed, checkpointer wrote " + checkpointBuffers
                + " buffers (whole server)" + (seen.isEmpty() ? ", no autovacuum" : ", autovacuum " + seen);
    }

    private static long checkpointBuffers(Connection c) throws SQLException {
        return readLong(c, "SELECT buffers_checkpoint FROM pg_stat_bgwriter");
    }

    private static long checkpoints(Connection c) throws SQLException {
        return readLong(c, "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter");
    }

    private static long readLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
