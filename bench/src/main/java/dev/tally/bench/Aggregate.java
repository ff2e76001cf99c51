package dev.tally.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Aggregations over everything stored: the full stream with records, then totals only (verified). */
final class Aggregate implements Scenario {

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        long stored = bench.expectation().storedRecords();
        bench.database().analyzeIfNoAutovacuum();
        full(bench, stored);
        totals(bench, stored);
    }

    private static void full(BenchRun bench, long stored) throws Exception {
        bench.rss().reset();
        long start = System.nanoTime();
        long[] groups = {0};
        long bytes = bench.http().aggregation("", e -> groups[0]++);
        double seconds = Fmt.secondsSince(start);
        long rss = bench.rss().peakKb();
        bench.report()
                .add(new Report.Row(
                        "GET /v1/aggregations (all records)",
                        String.format(Locale.ROOT, "%.2f s", seconds),
                        "-",
                        Fmt.mb(rss),
                        seconds <= 3 ? "met (<= 3 s)" : "NOT met (<= 3 s)",
                        "-",
                        String.format(
                                Locale.ROOT,
                                "%,d records, %,d groups, %,d MB streamed",
                                stored,
                                groups[0],
                                bytes >> 20)));
    }

    /**
     * Totals only, the 30-day window of the record times' spread ({@link Times#thirtyDays}), then
     * one with partial hours at both ends; both verified exactly against the model.
     */
    private static void totals(BenchRun bench, long stored) throws Exception {
        Http http = bench.http();
        Expectation expectation = bench.expectation();
        http.aggregation(expectation.thirtyDays.query(), e -> {}); // warm-up
        long start = System.nanoTime();
        Map<String, Http.Group> got = new HashMap<>();
        http.aggregation(expectation.thirtyDays.query(), e -> got.put(e.getKey(), e.getValue()));
        double totalsMs = (System.nanoTime() - start) / 1e6;
        boolean pass = Totals.verify(got, expectation.inThirtyDays, "30-day window " + expectation.thirtyDays);
        Map<String, Http.Group> edged = new HashMap<>();
        http.aggregation(expectation.edged.query(), e -> edged.put(e.getKey(), e.getValue()));
        pass &= Totals.verify(edged, expectation.windowed, "window " + expectation.edged);
        bench.report()
                .add(
                        new Report.Row(
                                "GET /v1/aggregations?includeRecords=false (30 days)",
                                String.format(Locale.ROOT, "%.0f ms", totalsMs),
                                "-",
                                "-",
                                "target <= 100 ms at 10,000,000 records",
                                Report.verdict(pass),
                                String.format(Locale.ROOT, "%,d records stored, %,d groups", stored, got.size())),
                        pass);
    }
}
