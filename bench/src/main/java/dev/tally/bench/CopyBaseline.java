package dev.tally.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Baseline: COPY of the batch scenario's stored rows into a bare copy of the records table. */
final class CopyBaseline implements Scenario {

    private static final String TABLE = "bench_copy_baseline";

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public void run(BenchRun bench) throws SQLException, IOException {
        int items = bench.config().records();
        BenchRun.CopyTime time;
        try (Connection c = bench.database().connect()) {
            execute(c, "DROP TABLE IF EXISTS " + TABLE);
            // Same columns, primary key, checks and indexes as the service's records table.
            execute(c, "CREATE TABLE " + TABLE + " (LIKE records INCLUDING ALL)");
            Progress progress = new Progress("copy", items);
            long start = System.nanoTime();
            long rows = CopyLoader.copyOriginals(c, TABLE, bench.batchGenerator(), items, 0, progress);
            time = new BenchRun.CopyTime(rows, Fmt.secondsSince(start));
            progress.done();
            execute(c, "DROP TABLE " + TABLE);
        }
        bench.copied(time);
        bench.report()
                .add(new Report.Row(
                        "COPY baseline (same rows, PK + indexes)",
                        Fmt.rate(time.rows() / time.seconds()) + " rows/s",
                        "-",
                        "-",
                        "reference",
                        "-",
                        String.format(Locale.ROOT, "%,d rows in %.1f s", time.rows(), time.seconds())));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
