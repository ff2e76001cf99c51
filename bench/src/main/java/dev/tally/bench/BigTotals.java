package dev.tally.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Totals-only aggregation at a large record count. Loading 10,000,000 records through the service
 * would take longer than a bench run should, so the extra records are COPYed straight into the
 * service's records table and added to its rollups (hourly, daily, weekly totals) with the
 * migrations' GROUP BY, while the service is idle; the read path measured is the service's. The
 * rollups are measured folded: it first waits for the service's folder to catch up.
 */
final class BigTotals implements Scenario {

    /**
     * Negative seqs: below the rollups' watermark, so the service counts these records as folded
     * (they are added to the rollups in the same transaction), and never equal to a seq the
     * service hands out.
     */
    private static final long SEQ_BASE = -1_000_000_000_000L;

    private static final int MEASURED = 5;

    @Override
    public String name() {
        return "totals";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        int items = (int)
                Math.max(0, bench.config().totalsRecords() - bench.expectation().storedRecords());
        Generator g = new Generator(bench.config().originals(1000), "t");
        bench.expectation().addTotalsOnly(g, items);
        bench.database().awaitFolded(System.nanoTime(), "the totals scenario started");
        load(bench, g, items);
        measure(bench);
    }

    private static void load(BenchRun bench, Generator g, int items) throws Exception {
        try (Connection c = bench.database().connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // As the service's rollup folder would: no folder adds to the rollups meanwhile.
                s.execute("SELECT 1 FROM rollup_watermark WHERE id = 1 FOR UPDATE");
            }
            Progress progress = new Progress("load totals", items);
            long start = System.nanoTime();
            long rows = CopyLoader.copyOriginals(c, "records", g, items, SEQ_BASE, progress);
            progress.done();
            try (Statement s = c.createStatement()) {
                foldIntoRollups(s);
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE hourly_totals");
                s.execute("VACUUM ANALYZE daily_totals");
                s.execute("VACUUM ANALYZE weekly_totals");
                s.execute("ANALYZE records");
            }
            System.out.printf(
                    Locale.ROOT, "  loaded %,d records and their rollups in %.0f s%n", rows, Fmt.secondsSince(start));
        }
    }

    /**
     * The loaded records per hour once, then folded into every rollup level of the service (V3,
     * V6), as its write path would have: hour, UTC day, Monday-aligned UTC week.
     */
    private static void foldIntoRollups(Statement s) throws SQLException {
        s.execute("""
                CREATE TEMPORARY TABLE bench_hours ON COMMIT DROP AS
                SELECT destination_id, unit, record_type,
                       date_trunc('hour', record_time AT TIME ZONE 'UTC') AS hour_utc,
                       COUNT(*) AS n, SUM(amount) AS amount, MAX(amount_scale) AS scale
                FROM records WHERE record_id LIKE 't-%'
                GROUP BY 1, 2, 3, 4""");
        for (String[] level : new String[][] {
            {"hourly_totals", "hour_start", "hour"},
            {"daily_totals", "day_start", "day"},
            {"weekly_totals", "week_start", "week"}
        }) {
            s.execute("""
                    INSERT INTO %1$s (destination_id, unit, record_type, %2$s, record_count, amount_sum,
                                      max_scale)
                    SELECT destination_id, unit, record_type, date_trunc('%3$s', hour_utc) AT TIME ZONE 'UTC',
                           SUM(n), SUM(amount), MAX(scale)
                    FROM bench_hours
                    GROUP BY 1, 2, 3, 4
                    ON CONFLICT (destination_id, unit, record_type, %2$s) DO UPDATE
                    SET record_count = %1$s.record_count + EXCLUDED.record_count,
                        amount_sum = %1$s.amount_sum + EXCLUDED.amount_sum,
                        max_scale = GREATEST(%1$s.max_scale, EXCLUDED.max_scale)""".formatted(level[0], level[1], level[2]));
        }
    }

    /** The median of five timed reads of the 30-day window, and one of the partial-hour window; both verified. */
    private static void measure(BenchRun bench) throws Exception {
        Http http = bench.http();
        Expectation expectation = bench.expectation();
        long total = expectation.storedRecords();
        String thirtyDays = expectation.thirtyDays.query();
        http.aggregation(thirtyDays, e -> {}); // warm-up
        long[] ms = new long[MEASURED];
        Map<String, Http.Group> got = new HashMap<>();
        for (int i = 0; i < ms.length; i++) {
            got.clear();
            long t0 = System.nanoTime();
            http.aggregation(thirtyDays, e -> got.put(e.getKey(), e.getValue()));
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        boolean pass = Totals.verify(got, expectation.inThirtyDays, "30-day window, " + total + " records stored");
        Map<String, Http.Group> gotEdged = new HashMap<>();
        long t0 = System.nanoTime();
        http.aggregation(expectation.edged.query(), e -> gotEdged.put(e.getKey(), e.getValue()));
        long edgedMs = (System.nanoTime() - t0) / 1_000_000;
        pass &= Totals.verify(gotEdged, expectation.windowed, "partial-hour window");
        Arrays.sort(ms);
        long median = ms[MEASURED / 2];
        bench.report()
                .add(
                        new Report.Row(
                                "GET /v1/aggregations?includeRecords=false (30 days)",
                                String.format(Locale.ROOT, "%d ms (median of 5)", median),
                                "-",
                                "-",
                                median <= 100 ? "met (<= 100 ms)" : "NOT met (<= 100 ms)",
                                Report.verdict(pass),
                                String.format(
                                        Locale.ROOT,
                                        "%,d records stored, %,d groups; window with partial hours: %d ms",
                                        total,
                                        got.size(),
                                        edgedMs)),
                        pass);
    }
}
