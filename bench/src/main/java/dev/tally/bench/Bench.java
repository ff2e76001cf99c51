package dev.tally.bench;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Tally's benchmark: a same-run COPY baseline, then the scenarios of issue #4 against a running
 * service, each verified against the generator's own expectation. Settings are {@code key=value}
 * arguments (see {@link #DEFAULTS}); bench/run.sh passes them.
 */
public final class Bench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("url", "http://127.0.0.1:18080"),
            Map.entry("jdbc", "jdbc:postgresql://127.0.0.1:5432/tally_bench?user=postgres"),
            Map.entry("pid", "0"),
            Map.entry("records", "1000000"),          // HTTP batch scenario items (and the COPY baseline's source)
            Map.entry("singleRecords", "0"),          // 0: records / 20
            Map.entry("clients", "64"),               // HTTP one-per-request concurrent clients
            Map.entry("senders", "4"),                // HTTP batch concurrent senders
            Map.entry("batch", "10000"),
            Map.entry("steadyRate", "1000"),
            Map.entry("steadySeconds", "30"),
            Map.entry("steadyWarmUpSeconds", "5"),
            Map.entry("seed", "42"),
            Map.entry("destinations", "1000"),
            Map.entry("references", "100"),
            Map.entry("units", "4"),
            Map.entry("duplicates", "0.05"),
            Map.entry("conflicts", "0.005"),
            Map.entry("invalid", "0.01"),
            Map.entry("overThreshold", "0.02"),
            Map.entry("totalsRecords", "10000000"),   // records stored for the totals-only measurement
            Map.entry("kafka", "127.0.0.1:19092"),    // the broker the service reads and publishes through
            Map.entry("kafkaRecords", "0"),           // Kafka scenario items; 0: records
            Map.entry("scenarios", "copy,batch,single,steady,aggregate,kafka,totals"),
            Map.entry("out", ""));

    /** Requests the steady-rate driver lets wait for an answer at once. */
    static final int STEADY_MAX_IN_FLIGHT = 1_000;

    /** The Kafka scenario gives up when no expected output message arrived for this long. */
    static final Duration KAFKA_STALL = Duration.ofSeconds(120);

    private final Map<String, String> conf;
    private final Http http;
    private final long pid;
    private final Expectation expectation = new Expectation();
    private final List<String[]> table = new ArrayList<>();
    /** The last seq seen at the end of each feed, so that {@link #lastSeq} need not read it all again. */
    private final Map<String, Long> feedEnd = new HashMap<>();
    private boolean allPassed = true;
    private double copySeconds = -1;
    private long copyRows;

    private Bench(Map<String, String> conf) {
        this.conf = conf;
        this.http = new Http(conf.get("url"));
        this.pid = Long.parseLong(conf.get("pid"));
    }

    public static void main(String[] args) throws Exception {
        // The JDK HttpClient completes every sendAsync future through CompletableFuture's default
        // executor. With fewer than 3 cores the common pool's parallelism is 1, and that executor is
        // then a NEW THREAD PER TASK: the steady scenario started 1,000 threads a second (JFR: 35,000
        // thread starts in 35 s), which on this 2-core machine delayed the client's own responses
        // and feed polls by up to seconds after the batch scenario. Two workers make it the pool.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.out.println("WARNING: the common pool's parallelism is "
                    + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()
                    + ": the steady scenario's sendAsync starts a thread per response (it mismeasures on few cores)");
        }
        // The Kafka clients log through SLF4J (slf4j-simple): their warnings, not their configuration dumps.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> conf = new HashMap<>(DEFAULTS);
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0 || !DEFAULTS.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown setting " + a + "; known: " + DEFAULTS.keySet());
            }
            conf.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Bench b = new Bench(conf);
        b.run();
        System.exit(b.allPassed ? 0 : 1);
    }

    private int intConf(String k) {
        return Integer.parseInt(conf.get(k));
    }

    private double dblConf(String k) {
        return Double.parseDouble(conf.get(k));
    }

    private Generator.Params params(double dup, double conflict, double invalid, int blockSize) {
        return new Generator.Params(Long.parseLong(conf.get("seed")), intConf("destinations"), intConf("references"),
                intConf("units"), dup, conflict, invalid, dblConf("overThreshold"), blockSize);
    }

    private void run() throws Exception {
        Set<String> scenarios = new HashSet<>(Arrays.asList(conf.get("scenarios").split(",")));
        int records = intConf("records");
        int batch = intConf("batch");
        Generator batchGen = new Generator(params(dblConf("duplicates"), dblConf("conflicts"), dblConf("invalid"), batch),
                "b");
        System.out.printf(Locale.ROOT, "Tally bench: %,d records (batch scenario), seed %s, service pid %d%n",
                records, conf.get("seed"), pid);
        if (scenarios.contains("copy")) {
            copyBaseline(batchGen, records);
        }
        if (scenarios.contains("batch")) {
            httpBatch(batchGen, records, batch);
        }
        if (scenarios.contains("single")) {
            awaitRelayIfKafka(scenarios);
            int n = intConf("singleRecords") > 0 ? intConf("singleRecords") : Math.max(1000, records / 20);
            // Blocks of 1000 for the single scenario: copies refer to originals of the same block and
            // are routed to the same client, in order, so every outcome is known in advance.
            httpSingle(new Generator(params(dblConf("duplicates"), dblConf("conflicts"), dblConf("invalid"), 1000), "s"), n);
        }
        if (scenarios.contains("steady")) {
            awaitRelayIfKafka(scenarios);
            // A few seconds at the same rate first, verified but not measured: the latency target is
            // for the steady state, not for the JIT's first compilation of the one-record path.
            steady(new Generator(params(0, 0, 0, 1000), "lw"), intConf("steadyRate"), intConf("steadyWarmUpSeconds"),
                    true);
            steady(new Generator(params(0, 0, 0, 1000), "l"), intConf("steadyRate"), intConf("steadySeconds"), false);
        }
        if (scenarios.contains("aggregate")) {
            aggregate();
        }
        // After the aggregations (which are specified at 1,000,000 stored records) and before the
        // totals scenario tops the database up to 10,000,000.
        if (scenarios.contains("kafka")) {
            int n = intConf("kafkaRecords") > 0 ? intConf("kafkaRecords") : records;
            try {
                kafka(new Generator(params(dblConf("duplicates"), dblConf("conflicts"), dblConf("invalid"), batch), "k"), n);
            } catch (IllegalStateException e) { // the broker or the service's Kafka side is not there
                System.out.println("  FAIL: kafka scenario: " + e.getMessage());
                table.add(row("Kafka records -> PostgreSQL -> Kafka notifications", "not measured", "-", "-", "-",
                        "FAIL", e.getMessage()));
                allPassed = false;
            }
        }
        if (scenarios.contains("totals")) {
            bigTotals(intConf("totalsRecords"));
        }
        printTable();
    }

    // ---------------------------------------------------------------------------------------------
    // Baseline: COPY of the same stored rows into a bare copy of the records table.

    private void copyBaseline(Generator g, int items) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(conf.get("jdbc"))) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_copy_baseline");
                // Same columns, primary key, checks and indexes as the service's records table.
                s.execute("CREATE TABLE bench_copy_baseline (LIKE records INCLUDING ALL)");
            }
            Progress progress = new Progress("copy", items);
            long start = System.nanoTime();
            copyRows = copyOriginals(c, "bench_copy_baseline", g, items, 0, progress);
            copySeconds = (System.nanoTime() - start) / 1e9;
            progress.done();
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE bench_copy_baseline");
            }
        }
        table.add(row("COPY baseline (same rows, PK + indexes)", fmtRate(copyRows / copySeconds) + " rows/s",
                "-", "-", "reference", "-", String.format(Locale.ROOT, "%,d rows in %.1f s", copyRows, copySeconds)));
    }

    /** COPY of the originals among items [0, items) of {@code g} into {@code table}, rendered on the fly. */
    private static long copyOriginals(Connection c, String table, Generator g, int items, long seqBase,
            Progress progress)
            throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        String processedAt = Instant.now().toString();
        long[] seq = {seqBase};
        int[] next = {0};
        Reader rows = new Reader() {
            private String pending = "";
            private int pos;

            @Override
            public int read(char[] buf, int off, int len) {
                while (pos == pending.length()) {
                    if (next[0] >= items) {
                        return -1;
                    }
                    StringBuilder b = new StringBuilder(64 * 1024);
                    while (next[0] < items && b.length() < 60 * 1024) {
                        Generator.Item it = g.item(next[0]++);
                        if (it.kind() != Generator.Kind.ORIGINAL) {
                            continue;
                        }
                        b.append(it.recordId()).append('\t').append(++seq[0]).append('\t').append(it.time())
                                .append("\tbench\t").append(it.destinationId()).append('\t')
                                .append(it.positive() ? "positive" : "negative").append('\t')
                                .append(it.value().toPlainString()).append('\t').append(it.value().scale())
                                .append('\t').append(it.unit()).append('\t').append(it.reference()).append('\t')
                                .append(processedAt).append('\n');
                    }
                    progress.set(next[0]);
                    pending = b.toString();
                    pos = 0;
                }
                int n = Math.min(len, pending.length() - pos);
                pending.getChars(pos, pos + n, buf, off);
                pos += n;
                return n;
            }

            @Override
            public void close() {}
        };
        return copy.copyIn("COPY " + table + " (record_id, seq, record_time, source_id, destination_id,"
                + " record_type, amount, amount_scale, unit, reference, processed_at) FROM STDIN", rows, 64 * 1024);
    }

    // ---------------------------------------------------------------------------------------------
    // Totals-only aggregation at a large record count. Loading 10,000,000 records through the
    // service would take longer than a bench run should, so the extra records are COPYed straight
    // into the service's records table and added to its rollups (hourly, daily, weekly totals) with
    // the migrations' GROUP BY, while the service is idle; the read path measured is the service's.
    // The rollups are measured folded: it first waits for the service's folder to catch up.

    private void bigTotals(int target) throws Exception {
        long stored = expectation.storedRecords();
        int items = (int) Math.max(0, target - stored);
        Generator g = new Generator(params(0, 0, 0, 1000), "t");
        expectation.addTotalsOnly(g, items);
        awaitFolded(System.nanoTime(), "the totals scenario started");
        try (Connection c = DriverManager.getConnection(conf.get("jdbc"))) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // As the service's rollup folder would: no folder adds to the rollups meanwhile.
                s.execute("SELECT 1 FROM rollup_watermark WHERE id = 1 FOR UPDATE");
            }
            Progress progress = new Progress("load totals", items);
            long start = System.nanoTime();
            // Negative seqs: below the rollups' watermark, so the service counts these records as
            // folded (they are added to the rollups below, in this transaction), and never equal
            // to a seq the service hands out.
            long rows = copyOriginals(c, "records", g, items, -1_000_000_000_000L, progress);
            progress.done();
            try (Statement s = c.createStatement()) {
                // The loaded records per hour once, then folded into every rollup level of the
                // service (V3, V6), as its write path would have: hour, UTC day, Monday-aligned UTC week.
                s.execute("""
                        CREATE TEMPORARY TABLE bench_hours ON COMMIT DROP AS
                        SELECT destination_id, unit, record_type,
                               date_trunc('hour', record_time AT TIME ZONE 'UTC') AS hour_utc,
                               COUNT(*) AS n, SUM(amount) AS amount, MAX(amount_scale) AS scale
                        FROM records WHERE record_id LIKE 't-%'
                        GROUP BY 1, 2, 3, 4""");
                for (String[] level : new String[][] {{"hourly_totals", "hour_start", "hour"},
                        {"daily_totals", "day_start", "day"}, {"weekly_totals", "week_start", "week"}}) {
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
                                max_scale = GREATEST(%1$s.max_scale, EXCLUDED.max_scale)"""
                            .formatted(level[0], level[1], level[2]));
                }
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("VACUUM ANALYZE hourly_totals");
                s.execute("VACUUM ANALYZE daily_totals");
                s.execute("VACUUM ANALYZE weekly_totals");
                s.execute("ANALYZE records");
            }
            System.out.printf(Locale.ROOT, "  loaded %,d records and their rollups in %.0f s%n", rows,
                    (System.nanoTime() - start) / 1e9);
        }
        long total = expectation.storedRecords();
        String window = "?includeRecords=false&from=" + Generator.EPOCH + "&to="
                + Generator.EPOCH.plusSeconds(Generator.WINDOW_SECONDS);
        String edged = "?includeRecords=false&from=" + Expectation.WINDOW_FROM + "&to=" + Expectation.WINDOW_TO;
        http.aggregation(window, e -> {}); // warm-up
        long[] ms = new long[5];
        Map<String, Http.Group> got = new HashMap<>();
        for (int i = 0; i < ms.length; i++) {
            got.clear();
            long t0 = System.nanoTime();
            http.aggregation(window, e -> got.put(e.getKey(), e.getValue()));
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        boolean pass = verifyTotals(got, expectation.destinations, "30-day window, " + total + " records");
        Map<String, Http.Group> gotEdged = new HashMap<>();
        long t0 = System.nanoTime();
        http.aggregation(edged, e -> gotEdged.put(e.getKey(), e.getValue()));
        long edgedMs = (System.nanoTime() - t0) / 1_000_000;
        pass &= verifyTotals(gotEdged, expectation.windowed, "partial-hour window");
        Arrays.sort(ms);
        table.add(row("GET /v1/aggregations?includeRecords=false (30 days)",
                String.format(Locale.ROOT, "%d ms (median of 5)", ms[2]), "-", "-",
                ms[2] <= 100 ? "met (<= 100 ms)" : "NOT met (<= 100 ms)", pass ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%,d records stored, %,d groups; window with partial hours: %d ms", total,
                        got.size(), edgedMs)));
        allPassed &= pass;
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP batch: blocks of `batch` items, `senders` concurrent requests.

    private void httpBatch(Generator g, int items, int batch) throws Exception {
        Expectation.Scenario expected = expectation.add(g, items);
        long startSeq = lastSeq("notifications");
        long startAlertSeq = lastSeq("alerts");
        resetPeakRss();
        int blocks = (items + batch - 1) / batch;
        AtomicInteger nextBlock = new AtomicInteger();
        long[] counts = new long[4];
        long[] latenciesNs = new long[blocks];
        Progress progress = new Progress("http batch", items);
        List<Throwable> errors = new ArrayList<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < intConf("senders"); s++) {
            threads.add(Threads.start(() -> {
                try {
                    int b;
                    while ((b = nextBlock.getAndIncrement()) < blocks) {
                        int from = b * batch;
                        int to = Math.min(items, from + batch);
                        StringBuilder body = new StringBuilder((to - from) * 240).append('[');
                        for (int i = from; i < to; i++) {
                            if (i > from) {
                                body.append(',');
                            }
                            body.append(g.item(i).json());
                        }
                        byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = http.post("/v1/records/batch", bytes);
                        latenciesNs[b] = System.nanoTime() - t0;
                        if (r.statusCode() != 200) {
                            throw new IOException("batch " + b + " -> " + r.statusCode() + " " + new String(r.body()));
                        }
                        long[] c = Http.batchCounts(r.body());
                        synchronized (counts) {
                            for (int k = 0; k < 4; k++) {
                                counts[k] += c[k];
                            }
                        }
                        progress.add(to - from);
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        join(threads);
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        progress.done();
        long rss = peakRssKb();
        awaitFolded(end, "the last batch's answer");
        boolean pass = errors.isEmpty() && check("batch counts", expected, counts);
        if (!errors.isEmpty()) {
            System.out.println("  FAIL: " + errors.get(0));
        }
        pass &= verifyFeeds(expected, startSeq, startAlertSeq);
        double rate = items / seconds;
        String ratio = copySeconds > 0 ? String.format(Locale.ROOT, "%.2f x COPY", copySeconds / seconds) : "-";
        table.add(row("HTTP batch (" + batch + "/request, " + conf.get("senders") + " senders)",
                fmtRate(rate) + " rec/s", pct(latenciesNs, 50) + " / " + pct(latenciesNs, 99) + " (request)",
                mb(rss), ratio + " (target >= 0.5)", pass ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%,d items in %.1f s; stored-rows ratio = COPY time / Tally time", items, seconds)));
        allPassed &= pass;
    }

    /**
     * Waits until the service's rollup folder has added every committed record to the totals
     * rollups (it works after the write transactions, not in them), and prints how long after
     * {@code since} (a {@code System.nanoTime()}) that was. Totals are exact before that too.
     */
    private void awaitFolded(long since, String what) throws SQLException, InterruptedException {
        try (Connection c = DriverManager.getConnection(conf.get("jdbc")); Statement s = c.createStatement()) {
            long lag = Long.MAX_VALUE;
            long first = -1;
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT s.last_notification_seq - w.folded_seq"
                        + " FROM sequencer s CROSS JOIN rollup_watermark w")) {
                    rs.next();
                    lag = rs.getLong(1);
                }
                if (first < 0) {
                    first = lag;
                }
                if (lag <= 0) {
                    break;
                }
                Thread.sleep(20);
            }
            System.out.printf(Locale.ROOT, lag <= 0
                    ? "  rollups: %4$,d records not folded yet at first look; all folded %1$.1f s after %3$s%n"
                    : "  rollups: %2$,d records still not folded %1$.0f s after %3$s%n", (System.nanoTime() - since) / 1e9,
                    lag, what, first);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP one record per request, C clients; every copy of a recordId goes through one client.

    private void httpSingle(Generator g, int items) throws Exception {
        Expectation.Scenario expected = expectation.add(g, items);
        long startSeq = lastSeq("notifications");
        long startAlertSeq = lastSeq("alerts");
        resetPeakRss();
        int clients = intConf("clients");
        long[] counts = new long[4];
        long[] latenciesNs = new long[items];
        Progress progress = new Progress("http single", items);
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Threads.start(() -> {
                long[] mine = new long[4];
                try {
                    for (int i = 0; i < items; i++) {
                        Generator.Item it = g.item(i);
                        if (it.originalIndex() % clients != client) {
                            continue;
                        }
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = http.post("/v1/records", it.jsonBytes());
                        latenciesNs[i] = System.nanoTime() - t0;
                        switch (r.statusCode()) {
                            case 201 -> mine[0]++;
                            case 200 -> mine[1]++;
                            case 409 -> mine[2]++;
                            case 400 -> mine[3]++;
                            default -> throw new IOException(it.recordId() + " -> " + r.statusCode() + " "
                                    + new String(r.body()));
                        }
                        progress.add(1);
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
                synchronized (counts) {
                    for (int k = 0; k < 4; k++) {
                        counts[k] += mine[k];
                    }
                }
            }));
        }
        join(threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.done();
        long rss = peakRssKb();
        boolean pass = errors.isEmpty() && check("single counts", expected, counts);
        if (!errors.isEmpty()) {
            System.out.println("  FAIL: " + errors.get(0));
        }
        pass &= verifyFeeds(expected, startSeq, startAlertSeq);
        double rate = items / seconds;
        table.add(row("HTTP single (" + clients + " clients)", fmtRate(rate) + " rec/s",
                pct(latenciesNs, 50) + " / " + pct(latenciesNs, 99) + " (request)", mb(rss),
                rate >= 5000 ? "met (>= 5,000/s)" : "NOT met (>= 5,000/s)", pass ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%,d items in %.1f s", items, seconds)));
        allPassed &= pass;
    }

    // ---------------------------------------------------------------------------------------------
    // Steady rate: single-record POSTs scheduled at `rate`/s; a poller reads the notification feed.

    private void steady(Generator g, int rate, int seconds, boolean warmUp) throws Exception {
        int items = rate * seconds;
        Expectation.Scenario expected = expectation.add(g, items);
        long startSeq = lastSeq("notifications");
        long startAlertSeq = lastSeq("alerts");
        resetPeakRss();
        Map<String, Double> metricsBefore = metrics();
        BackgroundWork background = BackgroundWork.start(conf.get("jdbc"));
        AtomicLongArray scheduledNs = new AtomicLongArray(items);
        // Per item, when it was sent and answered (0: not yet), and when its notification was read:
        // the diagnostics split each late notification's time into these stages.
        AtomicLongArray sentNs = new AtomicLongArray(items);
        AtomicLongArray answeredNs = new AtomicLongArray(items);
        long[] readNs = new long[items];
        PollTimes polls = new PollTimes();
        TcpCounters tcpBefore = TcpCounters.read();
        long[] latencyNs = new long[items];
        Arrays.fill(latencyNs, -1);
        AtomicLong seen = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Progress progress = new Progress((warmUp ? "steady warm-up " : "steady ") + rate + "/s", items);
        List<Throwable> errors = new ArrayList<>();
        long t0 = System.nanoTime() + 200_000_000L;
        Instant wallStart = Instant.now().plusMillis(200); // second 0 of the diagnostics, for the GC log
        long periodNs = 1_000_000_000L / rate;
        String prefix = g.prefix() + "-";
        Thread poller = Threads.start(() -> {
            long after = startSeq;
            try {
                while (seen.get() < items && !stop.get()) {
                    long pollStart = System.nanoTime();
                    Http.Page page = http.feed("notifications", after, 10_000);
                    long now = System.nanoTime();
                    polls.add(pollStart - t0, now - pollStart);
                    for (Http.Message m : page.messages()) {
                        if (m.messageId().startsWith(prefix)) {
                            int i = Integer.parseInt(m.messageId().substring(prefix.length()));
                            readNs[i] = now;
                            latencyNs[i] = now - scheduledNs.get(i);
                            seen.incrementAndGet();
                        }
                    }
                    after = page.next();
                    if (page.messages().isEmpty()) {
                        Thread.sleep(2);
                    }
                }
            } catch (Throwable e) {
                synchronized (errors) {
                    errors.add(e);
                }
            }
        });
        // Open loop: one thread sends at the scheduled times with sendAsync; at most MAX_IN_FLIGHT
        // requests wait for answers (beyond that the sender waits, and the lateness is counted).
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(STEADY_MAX_IN_FLIGHT);
        for (int i = 0; i < items && errors.isEmpty(); i++) {
            long at = t0 + i * periodNs;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            inFlight.acquire();
            // Latency counts from the scheduled send time, so a late send cannot hide it.
            scheduledNs.set(i, at);
            int index = i;
            byte[] body = g.item(i).jsonBytes();
            sentNs.set(i, System.nanoTime());
            http.postAsync("/v1/records", body, prefix + i).whenComplete((r, e) -> {
                answeredNs.set(index, System.nanoTime());
                inFlight.release();
                if (e != null || r.statusCode() != 201) {
                    synchronized (errors) {
                        errors.add(e != null ? e : new IOException("steady " + index + " -> " + r.statusCode()));
                    }
                }
                progress.add(1);
            });
        }
        inFlight.acquire(STEADY_MAX_IN_FLIGHT); // every answer is in
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (seen.get() < items && errors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stop.set(true); // stops the poller if it is still waiting
        poller.join();
        progress.done();
        String backgroundSeen = background.stop();
        if (!warmUp) {
            steadyDiagnostics(latencyNs, scheduledNs, t0, wallStart, metricsBefore, metrics(), backgroundSeen);
            lateStages(latencyNs, scheduledNs, sentNs, answeredNs, readNs, t0);
            writeTimes(scheduledNs, sentNs, answeredNs, readNs, t0, wallStart);
            System.out.println("  feed poller: " + polls + "; TCP (whole machine) " + TcpCounters.read().since(tcpBefore));
        }
        long rss = peakRssKb();
        boolean pass = errors.isEmpty();
        if (!errors.isEmpty()) {
            System.out.println("  FAIL: " + errors.get(0));
        }
        long missing = Arrays.stream(latencyNs).filter(l -> l < 0).count();
        if (missing > 0) {
            System.out.println("  FAIL: " + missing + " notifications not seen");
            pass = false;
        }
        pass &= verifyFeeds(expected, startSeq, startAlertSeq);
        long p99 = pctNs(latencyNs, 99);
        if (warmUp) {
            System.out.printf(Locale.ROOT, "  warm-up (not in the table): %,d records, p50 %s, p99 %s, %s%n", items,
                    fmtMs(pctNs(latencyNs, 50)), fmtMs(p99), pass ? "PASS" : "FAIL");
            allPassed &= pass;
            return;
        }
        table.add(row("Steady " + rate + " rec/s, send -> notification", rate + " rec/s offered",
                fmtMs(pctNs(latencyNs, 50)) + " / " + fmtMs(p99) + " (notification)", mb(rss),
                p99 <= 100_000_000L ? "met (p99 <= 100 ms)" : "NOT met (p99 <= 100 ms)", pass ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%,d records over %d s after a %d s warm-up at the same rate; feed polled every"
                        + " <= 2 ms", items, seconds, intConf("steadyWarmUpSeconds"))));
        allPassed &= pass;
    }

    // ---------------------------------------------------------------------------------------------
    // Kafka in -> PostgreSQL -> Kafka out: the generator's items produced to the records topic as
    // fast as an idempotent producer goes (key = destinationId, so every copy of a recordId follows
    // its original in one partition and every outcome is known in advance); read_committed readers
    // of the outputs count until every expected notification is in. Rate = accepted records /
    // (first send -> last notification read).

    private void kafka(Generator g, int items) throws Exception {
        Expectation.Scenario expected = expectation.add(g, items);
        long startSeq = lastSeq("notifications");
        long startAlertSeq = lastSeq("alerts");
        try (KafkaDriver kafka = new KafkaDriver(conf.get("kafka"))) {
            String notReady = kafka.awaitReady(Duration.ofSeconds(120));
            if (!notReady.isEmpty()) {
                throw new IllegalStateException("Tally's Kafka side is not ready: " + notReady);
            }
            awaitRelay(kafka, startSeq, startAlertSeq);
            Map<String, Double> before = metrics();
            resetPeakRss();

            Progress progress = new Progress("kafka", expected.accepted);
            KafkaDriver.Outputs outputs = new KafkaDriver.Outputs(kafka, g.prefix() + "-", (int) expected.accepted,
                    expected.alertIds.size(), (int) (expected.invalid + expected.conflict), KAFKA_STALL, progress);
            Thread reader = Threads.start(outputs);
            // Where each invalid item and conflict landed on the records topic: its dead letter must name it.
            Map<String, String> badSent = new ConcurrentHashMap<>();
            AtomicReference<Exception> sendError = new AtomicReference<>();
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
                for (int i = 0; i < items && sendError.get() == null; i++) {
                    Generator.Item it = g.item(i);
                    String reason = switch (it.kind()) {
                        case INVALID -> "invalid";
                        case CONFLICT -> "conflict";
                        default -> null;
                    };
                    producer.send(new ProducerRecord<>(KafkaDriver.RECORDS, it.destinationId(), it.jsonBytes()),
                            (md, e) -> {
                                if (e != null) {
                                    sendError.compareAndSet(null, e);
                                } else if (reason != null) {
                                    badSent.put(md.partition() + "/" + md.offset(), reason);
                                }
                            });
                }
                producer.flush();
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            if (sendError.get() != null) {
                outputs.stop = true;
            }
            reader.join();
            progress.done();
            long end = outputs.lastNotificationNs;
            double seconds = (end > 0 ? end - start : System.nanoTime() - start) / 1e9;
            long rss = peakRssKb();
            Map<String, Double> after = metrics();

            boolean pass = true;
            if (sendError.get() != null) {
                System.out.println("  FAIL: producing the records: " + sendError.get());
                pass = false;
            }
            if (outputs.error != null) {
                System.out.println("  FAIL: reading the outputs: " + outputs.error);
                pass = false;
            }
            pass &= verifyTopic("notifications", outputs.notifications, outputs.repeatedNotifications,
                    expected.notificationIds);
            pass &= verifyTopic("alerts", outputs.alerts, outputs.repeatedAlerts, expected.alertIds);
            long invalid = outputs.deadLetters.values().stream().filter("invalid"::equals).count();
            long conflicts = outputs.deadLetters.values().stream().filter("conflict"::equals).count();
            boolean dlq = outputs.deadLetters.equals(badSent) && invalid == expected.invalid
                    && conflicts == expected.conflict;
            System.out.printf(Locale.ROOT, "  verify kafka %s: %s (invalid %,d/%,d conflict %,d/%,d, each at its"
                    + " original's offset; %,d written twice)%n", KafkaDriver.DEAD_LETTER, dlq ? "PASS" : "FAIL",
                    invalid, expected.invalid, conflicts, expected.conflict, outputs.repeatedDeadLetters);
            pass &= dlq;
            if (outputs.unreadable > 0) {
                System.out.println("  FAIL: " + outputs.unreadable + " output messages without a messageId header");
                pass = false;
            }
            // The service's own counts: accepted exactly; a batch re-delivered to the listener (a
            // rebalance) makes its records duplicates, so those two may only be higher.
            long accepted = delta(before, after, "tally_records_processed_total", "outcome=\"accepted\"");
            long duplicates = delta(before, after, "tally_records_processed_total", "outcome=\"duplicate\"");
            long conflicted = delta(before, after, "tally_records_processed_total", "outcome=\"conflict\"");
            long received = delta(before, after, "tally_kafka_records_received_total", "");
            boolean counts = accepted == expected.accepted && duplicates >= expected.duplicate
                    && conflicted >= expected.conflict && received >= items;
            System.out.printf(Locale.ROOT, "  verify kafka counts (service metrics): %s (accepted %,d/%,d duplicate"
                    + " %,d/%,d conflict %,d/%,d received %,d/%,d)%n", counts ? "PASS" : "FAIL", accepted,
                    expected.accepted, duplicates, expected.duplicate, conflicted, expected.conflict, received, items);
            pass &= counts;
            pass &= verifyFeeds(expected, startSeq, startAlertSeq);
            long transactions = delta(before, after, "tally_processing_transaction_records_count", "");
            long merged = delta(before, after, "tally_processing_transaction_records_sum", "");
            long txSeconds = delta(before, after, "tally_processing_transaction_seconds_sum", "");

            double rate = expected.accepted / seconds;
            String ratio = copySeconds > 0
                    ? String.format(Locale.ROOT, "%.2f x COPY", rate / (copyRows / copySeconds)) : "-";
            table.add(row("Kafka records -> PostgreSQL -> Kafka notifications", fmtRate(rate) + " rec/s", "-",
                    mb(rss), ratio + " (target >= 0.5)", pass ? "PASS" : "FAIL",
                    String.format(Locale.ROOT, "%,d items (%,d accepted) produced in %.1f s, last notification read"
                            + " after %.1f s; %,d transactions of %,.0f records on average, writer busy %d s;"
                            + " %,d input messages re-delivered; ratio = accepted/s over COPY rows/s",
                            items, expected.accepted, sendSeconds, seconds, transactions,
                            merged / (double) Math.max(1, transactions), txSeconds, received - items)));
            allPassed &= pass;
        }
    }

    /**
     * With Kafka on, the relay publishes what the previous scenario wrote while the next one runs:
     * a backlog of up to a million messages rendered and sent on the same 2 cores. Each HTTP
     * scenario after the first starts once that backlog is published, so it measures its own
     * steady state (the relay then publishes only the scenario's own messages, as in production).
     */
    private void awaitRelayIfKafka(Set<String> scenarios) throws Exception {
        if (!scenarios.contains("kafka")) {
            return;
        }
        long start = System.nanoTime();
        try (KafkaDriver kafka = new KafkaDriver(conf.get("kafka"))) {
            awaitRelay(kafka, lastSeq("notifications"), lastSeq("alerts"));
        }
        System.out.printf(Locale.ROOT, "  the relay's backlog was published in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Waits until the relay published every message earlier scenarios put in the outbox. */
    private static void awaitRelay(KafkaDriver kafka, long notifications, long alerts) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        boolean told = false;
        while (true) {
            Map<String, Long> at = kafka.relayPositions();
            long n = at.getOrDefault("notifications", 0L);
            long a = at.getOrDefault("alerts", 0L);
            if (n >= notifications && a >= alerts) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay did not catch up: notifications " + n + "/" + notifications
                        + ", alerts " + a + "/" + alerts);
            }
            if (!told) {
                System.out.printf(Locale.ROOT, "  waiting for the relay to publish the earlier scenarios' messages"
                        + " (notifications %,d/%,d, alerts %,d/%,d)%n", n, notifications, a, alerts);
                told = true;
            }
            Thread.sleep(500);
        }
    }

    private static boolean verifyTopic(String topic, Set<String> got, long repeats, Set<String> want) {
        boolean ok = repeats == 0 && got.equals(want);
        if (!ok) {
            long missing = want.stream().filter(id -> !got.contains(id)).count();
            long strangers = got.stream().filter(id -> !want.contains(id)).count();
            System.out.printf(Locale.ROOT, "  FAIL: topic %s: %,d missing, %,d unexpected, %,d repeated%n", topic,
                    missing, strangers, repeats);
        }
        System.out.printf(Locale.ROOT, "  verify kafka %s: %s (%,d messages, read_committed)%n", topic,
                ok ? "PASS" : "FAIL", got.size());
        return ok;
    }

    /** The service's Prometheus samples: "name{labels}" -> value. */
    private Map<String, Double> metrics() throws IOException, InterruptedException {
        Map<String, Double> m = new HashMap<>();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                http.get("/actuator/prometheus").body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
        }
        return m;
    }

    /** after - before of the samples of {@code name} whose labels contain {@code label}. */
    private static long delta(Map<String, Double> before, Map<String, Double> after, String name, String label) {
        double d = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String k = e.getKey();
            if ((k.equals(name) || k.startsWith(name + "{")) && k.contains(label)) {
                d += e.getValue() - before.getOrDefault(k, 0.0);
            }
        }
        return Math.round(d);
    }

    /**
     * Where a steady run's tail comes from: how the slow notifications spread over the run (one
     * stall or everywhere), the service's GC pauses and slowest transaction, and the database's
     * background work (checkpoints, autovacuum) in the same window.
     */
    private static void steadyDiagnostics(long[] latencyNs, AtomicLongArray scheduledNs, long t0, Instant wallStart,
            Map<String, Double> before, Map<String, Double> after, String backgroundSeen) {
        int slow = 0;
        Map<Long, Integer> slowBySecond = new java.util.TreeMap<>();
        long max = 0;
        for (int i = 0; i < latencyNs.length; i++) {
            max = Math.max(max, latencyNs[i]);
            if (latencyNs[i] > 100_000_000L) {
                slow++;
                slowBySecond.merge((scheduledNs.get(i) - t0) / 1_000_000_000L, 1, Integer::sum);
            }
        }
        StringBuilder seconds = new StringBuilder();
        slowBySecond.forEach((second, n) -> seconds.append(seconds.isEmpty() ? "" : ", ").append(second).append("s:")
                .append(n));
        double gcCount = deltaExact(before, after, "jvm_gc_pause_seconds_count");
        double gcSeconds = deltaExact(before, after, "jvm_gc_pause_seconds_sum");
        double gcMax = after.entrySet().stream().filter(e -> e.getKey().startsWith("jvm_gc_pause_seconds_max"))
                .mapToDouble(Map.Entry::getValue).max().orElse(0);
        double txMax = after.getOrDefault("tally_processing_transaction_seconds_max", 0.0);
        double queueWaitMax = after.getOrDefault("tally_processing_queue_wait_seconds_max", 0.0);
        // The service's own view of the same window, as means (the maxima above span two minutes,
        // so they include the previous scenario): its request time for POST /v1/records, the wait
        // for the writer, and the transactions.
        double requests = deltaLabelled(before, after, "http_server_requests_seconds_count", "uri=\"/v1/records\"");
        double requestSeconds = deltaLabelled(before, after, "http_server_requests_seconds_sum", "uri=\"/v1/records\"");
        double waits = deltaExact(before, after, "tally_processing_queue_wait_seconds_count");
        double waitSeconds = deltaExact(before, after, "tally_processing_queue_wait_seconds_sum");
        double transactions = deltaExact(before, after, "tally_processing_transaction_seconds_count");
        double transactionSeconds = deltaExact(before, after, "tally_processing_transaction_seconds_sum");
        System.out.printf(Locale.ROOT, "  service, this run: POST /v1/records %,.0f answered, mean %.1f ms in the service;"
                + " wait for the writer mean %.1f ms; %,.0f transactions, mean %.1f ms, writer busy %.1f s%n", requests,
                requests == 0 ? 0 : requestSeconds * 1000 / requests, waits == 0 ? 0 : waitSeconds * 1000 / waits,
                transactions, transactions == 0 ? 0 : transactionSeconds * 1000 / transactions, transactionSeconds);
        System.out.printf(Locale.ROOT, "  steady diagnostics (second 0 = %s): %,d notifications over 100 ms (by second: %s);"
                + " max %s; service GC %.0f pauses, %.0f ms in all, longest %.0f ms (2-min window); slowest write"
                + " transaction %.0f ms, longest wait for the writer %.0f ms (2-min window); database background work"
                + " seen: %s%n", wallStart, slow, seconds.isEmpty() ? "none" : seconds, fmtMs(max), gcCount,
                gcSeconds * 1000, gcMax * 1000, txMax * 1000, queueWaitMax * 1000, backgroundSeen);
    }

    /**
     * Where the notifications over 100 ms spent their time, as a partition of scheduled -> read:
     * "send" = scheduled -> the client's {@code sendAsync} call (the bench's own lateness), "answer" =
     * sent -> the response (or the read, if the notification was read first: the service, the
     * network and the client's connection handling), "feed" = the rest (the answer was in, the
     * poller had not read it yet). Printed for the whole run and for each second with late ones.
     */
    private static void lateStages(long[] latencyNs, AtomicLongArray scheduledNs, AtomicLongArray sentNs,
            AtomicLongArray answeredNs, long[] readNs, long t0) {
        Map<Long, long[]> bySecond = new java.util.TreeMap<>(); // second -> count, send, answer, feed (ns)
        long[] all = new long[4];
        long[] max = new long[3];
        for (int i = 0; i < latencyNs.length; i++) {
            if (latencyNs[i] <= 100_000_000L) {
                continue;
            }
            long scheduled = scheduledNs.get(i);
            long read = readNs[i];
            long sent = Math.min(sentNs.get(i), read);
            long answered = answeredNs.get(i) == 0 ? read : Math.min(answeredNs.get(i), read);
            long[] stage = {sent - scheduled, answered - sent, read - answered};
            long[] sec = bySecond.computeIfAbsent((scheduled - t0) / 1_000_000_000L, k -> new long[4]);
            sec[0]++;
            all[0]++;
            for (int k = 0; k < 3; k++) {
                sec[k + 1] += stage[k];
                all[k + 1] += stage[k];
                max[k] = Math.max(max[k], stage[k]);
            }
        }
        if (all[0] == 0) {
            return;
        }
        StringBuilder seconds = new StringBuilder();
        bySecond.forEach((second, v) -> seconds.append(seconds.isEmpty() ? "" : ", ").append(second).append("s:")
                .append(stageMeans(v)));
        System.out.printf(Locale.ROOT, "  late notifications by stage, mean send/answer/feed ms (max %.0f/%.0f/%.0f):"
                + " all %s; by second: %s%n", max[0] / 1e6, max[1] / 1e6, max[2] / 1e6, stageMeans(all), seconds);
    }

    /**
     * Every item's times as epoch microseconds (scheduled, sent, answered, read), for matching
     * against the service's access log ({@code X-Request-Id}): bench/target/steady-times.csv.
     */
    private void writeTimes(AtomicLongArray scheduledNs, AtomicLongArray sentNs, AtomicLongArray answeredNs,
            long[] readNs, long t0, Instant wallStart) throws IOException {
        if (conf.get("out").isEmpty()) {
            return;
        }
        long epochUsAtT0 = wallStart.getEpochSecond() * 1_000_000L + wallStart.getNano() / 1_000;
        StringBuilder b = new StringBuilder("item,scheduled_us,sent_us,answered_us,read_us\n");
        for (int i = 0; i < readNs.length; i++) {
            b.append(i).append(',').append(epochUsAtT0 + (scheduledNs.get(i) - t0) / 1000).append(',')
                    .append(epochUsAtT0 + (sentNs.get(i) - t0) / 1000).append(',')
                    .append(epochUsAtT0 + (answeredNs.get(i) - t0) / 1000).append(',')
                    .append(epochUsAtT0 + (readNs[i] - t0) / 1000).append('\n');
        }
        Files.writeString(Path.of(conf.get("out")).resolveSibling("steady-times.csv"), b);
    }

    private static String stageMeans(long[] v) {
        return String.format(Locale.ROOT, "%d x %.0f/%.0f/%.0f", v[0], v[1] / 1e6 / v[0], v[2] / 1e6 / v[0],
                v[3] / 1e6 / v[0]);
    }

    /** The feed poller's requests: how many, how long, and the slow ones (over 50 ms) by second. */
    private static final class PollTimes {
        private long count;
        private long totalNs;
        private long maxNs;
        private final Map<Long, Integer> slowBySecond = new java.util.TreeMap<>();

        /** Called by the poller thread only; read after it has been joined. */
        void add(long startSinceT0Ns, long ns) {
            count++;
            totalNs += ns;
            maxNs = Math.max(maxNs, ns);
            if (ns > 50_000_000L) {
                slowBySecond.merge(Math.floorDiv(startSinceT0Ns, 1_000_000_000L), 1, Integer::sum);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d polls, mean %.1f ms, max %.0f ms, over 50 ms by second: %s", count,
                    count == 0 ? 0 : totalNs / 1e6 / count, maxNs / 1e6, slowBySecond.isEmpty() ? "none" : slowBySecond);
        }
    }

    /**
     * Linux's TCP counters for connection set-up trouble (what {@code nstat} shows): a full listen
     * queue drops SYNs, and the client retransmits them after 1 s, 3 s... They count the whole
     * machine (other benches included); empty where /proc/net is not readable.
     */
    private record TcpCounters(Map<String, Long> values) {
        private static final List<String> NAMES = List.of("ActiveOpens", "ListenOverflows", "ListenDrops",
                "TCPSynRetrans", "TCPTimeouts");

        static TcpCounters read() {
            Map<String, Long> v = new java.util.LinkedHashMap<>();
            for (String file : List.of("/proc/net/snmp", "/proc/net/netstat")) {
                try {
                    List<String> lines = Files.readAllLines(Path.of(file));
                    for (int i = 0; i + 1 < lines.size(); i += 2) {
                        String[] names = lines.get(i).split(" ");
                        String[] numbers = lines.get(i + 1).split(" ");
                        for (int k = 1; k < names.length && k < numbers.length; k++) {
                            if (NAMES.contains(names[k]) && (names[0].equals("Tcp:") || names[0].equals("TcpExt:"))) {
                                v.put(names[k], Long.parseLong(numbers[k]));
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // not Linux, or not readable: the line says so by being empty
                }
            }
            return new TcpCounters(v);
        }

        String since(TcpCounters before) {
            StringBuilder b = new StringBuilder();
            for (String n : NAMES) {
                if (values.containsKey(n) && before.values.containsKey(n)) {
                    b.append(b.isEmpty() ? "" : ", ").append(n).append(" +").append(values.get(n) - before.values.get(n));
                }
            }
            return b.isEmpty() ? "(counters not readable)" : b.toString();
        }
    }

    /** after - before of the samples of {@code name} whose labels contain {@code label}, unrounded. */
    private static double deltaLabelled(Map<String, Double> before, Map<String, Double> after, String name,
            String label) {
        double d = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name + "{") && k.contains(label)) {
                d += e.getValue() - before.getOrDefault(k, 0.0);
            }
        }
        return d;
    }

    /** after - before of the samples of {@code name} (all labels), unrounded. */
    private static double deltaExact(Map<String, Double> before, Map<String, Double> after, String name) {
        double d = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String k = e.getKey();
            if (k.equals(name) || k.startsWith(name + "{")) {
                d += e.getValue() - before.getOrDefault(k, 0.0);
            }
        }
        return d;
    }

    /** Samples the database's checkpoints and autovacuum workers while a scenario runs. */
    private static final class BackgroundWork {
        private final Connection connection;
        private final long checkpointsBefore;
        private final long checkpointBuffersBefore;
        private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        private Thread sampler;

        private BackgroundWork(Connection connection) throws java.sql.SQLException {
            this.connection = connection;
            this.checkpointsBefore = checkpoints(connection);
            this.checkpointBuffersBefore = checkpointBuffers(connection);
        }

        static BackgroundWork start(String jdbcUrl) throws java.sql.SQLException {
            BackgroundWork w = new BackgroundWork(DriverManager.getConnection(jdbcUrl));
            w.sampler = Threads.start(() -> {
                try (var ps = w.connection.prepareStatement("SELECT query FROM pg_stat_activity"
                        + " WHERE backend_type = 'autovacuum worker' AND datname = current_database()")) {
                    while (!w.stop.get()) {
                        try (var rs = ps.executeQuery()) {
                            while (rs.next()) {
                                w.seen.add(rs.getString(1).replace("autovacuum: ", ""));
                            }
                        }
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    w.seen.add("(sampling failed: " + e + ")");
                }
            });
            return w;
        }

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

        private static long checkpointBuffers(Connection c) throws java.sql.SQLException {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT buffers_checkpoint FROM pg_stat_bgwriter")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static long checkpoints(Connection c) throws java.sql.SQLException {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Aggregations over everything stored: full stream with records, then totals only.

    private void aggregate() throws Exception {
        long stored = expectation.storedRecords();
        analyzeIfNoAutovacuum();
        resetPeakRss();
        long start = System.nanoTime();
        long[] groups = {0};
        long bytes = http.aggregation("", e -> groups[0]++);
        double full = (System.nanoTime() - start) / 1e9;
        long rss = peakRssKb();
        table.add(row("GET /v1/aggregations (all records)", String.format(Locale.ROOT, "%.2f s", full), "-", mb(rss),
                full <= 3 ? "met (<= 3 s)" : "NOT met (<= 3 s)", "-",
                String.format(Locale.ROOT, "%,d records, %,d groups, %,d MB streamed", stored, groups[0], bytes >> 20)));

        // Totals only, the 30-day window of the generator, verified exactly against the model.
        String window = "?includeRecords=false&from=" + Generator.EPOCH + "&to="
                + Generator.EPOCH.plusSeconds(Generator.WINDOW_SECONDS);
        http.aggregation(window, e -> {}); // warm-up
        start = System.nanoTime();
        Map<String, Http.Group> got = new HashMap<>();
        http.aggregation(window, e -> got.put(e.getKey(), e.getValue()));
        double totalsMs = (System.nanoTime() - start) / 1e6;
        boolean pass = verifyTotals(got, expectation.destinations, "30-day window");
        // And a window with partial hours at both ends (hourly totals + records at the edges).
        Map<String, Http.Group> edged = new HashMap<>();
        http.aggregation("?includeRecords=false&from=" + Expectation.WINDOW_FROM + "&to=" + Expectation.WINDOW_TO,
                e -> edged.put(e.getKey(), e.getValue()));
        pass &= verifyTotals(edged, expectation.windowed, "window " + Expectation.WINDOW_FROM + " .. " + Expectation.WINDOW_TO);
        table.add(row("GET /v1/aggregations?includeRecords=false (30 days)", String.format(Locale.ROOT, "%.0f ms", totalsMs),
                "-", "-", String.format(Locale.ROOT, "target <= 100 ms at 10,000,000 records"), pass ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%,d records stored, %,d groups", stored, got.size())));
        allPassed &= pass;
    }

    /**
     * With {@code autovacuum = off} (this machine's CI setting) a table filled by the scenarios is
     * never analyzed: the planner takes the million-row records table for a few thousand rows and
     * sorts all of it instead of reading the destination index in order. Production runs
     * autovacuum, which analyzes after 10 % of a table changes; so does this, visibly, where
     * autovacuum is off.
     */
    private void analyzeIfNoAutovacuum() throws SQLException {
        try (Connection c = DriverManager.getConnection(conf.get("jdbc")); Statement s = c.createStatement()) {
            String autovacuum;
            try (ResultSet r = s.executeQuery("SHOW autovacuum")) {
                r.next();
                autovacuum = r.getString(1);
            }
            if (!"off".equals(autovacuum)) {
                return;
            }
            long start = System.nanoTime();
            for (String table : List.of("records", "hourly_totals", "daily_totals", "weekly_totals")) {
                s.execute("VACUUM ANALYZE " + table);
            }
            System.out.printf(Locale.ROOT, "  autovacuum is off on this server: ran VACUUM ANALYZE on records and the"
                    + " rollups first, as autovacuum would have (%.1f s)%n", (System.nanoTime() - start) / 1e9);
        }
    }

    private static boolean verifyTotals(Map<String, Http.Group> got, Map<String, Expectation.Destination> want,
            String what) {
        int bad = 0;
        if (got.size() != want.size()) {
            System.out.printf("  FAIL: %d groups, expected %d%n", got.size(), want.size());
            bad++;
        }
        for (Map.Entry<String, Expectation.Destination> e : want.entrySet()) {
            Http.Group g = got.get(e.getKey());
            Expectation.Destination d = e.getValue();
            boolean ok = g != null && g.recordCount() == d.count && g.units().size() == d.units.size();
            if (ok) {
                for (Map.Entry<String, BigDecimal[]> u : d.units.entrySet()) {
                    BigDecimal[] actual = g.units().get(u.getKey());
                    BigDecimal[] expected = u.getValue();
                    ok &= actual != null && actual[0].compareTo(expected[0]) == 0 && actual[1].compareTo(expected[1]) == 0
                            && actual[2].compareTo(expected[0].subtract(expected[1])) == 0;
                }
            }
            if (!ok && bad++ < 5) {
                System.out.println("  FAIL: totals of " + e.getKey() + " differ from the expectation");
            }
        }
        System.out.println(bad == 0 ? "  verify aggregation totals, " + what + ": PASS (" + got.size()
                + " destinations, exact)" : "  verify aggregation totals, " + what + ": FAIL");
        return bad == 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Verification of the feeds: one notification per accepted record, alerts for the ones above threshold.

    /**
     * The feed's last seq, read from the last position this bench saw (seqs are gapless and the
     * feed only grows). Reading from 0 each time re-rendered every earlier message just before
     * each scenario (~200,000 after the batch scenario, twice before the steady run: ~10 s of
     * service and database work that the steady scenario's first seconds still paid for).
     */
    private long lastSeq(String feed) throws IOException, InterruptedException {
        long after = feedEnd.getOrDefault(feed, 0L);
        while (true) {
            Http.Page p = http.feed(feed, after, 10_000);
            if (p.messages().isEmpty()) {
                feedEnd.put(feed, after);
                return after;
            }
            after = p.next();
        }
    }

    private boolean verifyFeeds(Expectation.Scenario expected, long startSeq, long startAlertSeq) throws Exception {
        boolean n = verifyFeed("notifications", startSeq, expected.notificationIds);
        boolean a = verifyFeed("alerts", startAlertSeq, expected.alertIds);
        return n && a;
    }

    private boolean verifyFeed(String feed, long after, Set<String> expectedIds) throws Exception {
        Set<String> seen = new HashSet<>(expectedIds.size() * 2);
        long seq = after;
        int problems = 0;
        while (true) {
            Http.Page p = http.feed(feed, seq, 10_000);
            if (p.messages().isEmpty()) {
                break;
            }
            for (Http.Message m : p.messages()) {
                if (m.seq() != seq + 1 && problems++ < 3) {
                    System.out.printf("  FAIL: %s seq %d after %d (gap)%n", feed, m.seq(), seq);
                }
                seq = m.seq();
                if (!seen.add(m.messageId()) && problems++ < 3) {
                    System.out.println("  FAIL: " + feed + " repeats " + m.messageId());
                }
                if (!expectedIds.contains(m.messageId()) && problems++ < 3) {
                    System.out.println("  FAIL: unexpected " + feed + " message " + m.messageId());
                }
            }
        }
        feedEnd.put(feed, seq);
        if (seen.size() != expectedIds.size()) {
            System.out.printf("  FAIL: %s: %d messages, expected %d%n", feed, seen.size(), expectedIds.size());
            problems++;
        }
        System.out.printf(Locale.ROOT, "  verify %s: %s (%,d messages)%n", feed, problems == 0 ? "PASS" : "FAIL",
                seen.size());
        return problems == 0;
    }

    private static boolean check(String what, Expectation.Scenario e, long[] c) {
        boolean ok = c[0] == e.accepted && c[1] == e.duplicate && c[2] == e.conflict && c[3] == e.invalid;
        System.out.printf(Locale.ROOT, "  verify %s: %s (accepted %,d/%,d duplicate %,d/%,d conflict %,d/%,d invalid %,d/%,d)%n",
                what, ok ? "PASS" : "FAIL", c[0], e.accepted, c[1], e.duplicate, c[2], e.conflict, c[3], e.invalid);
        return ok;
    }

    // ---------------------------------------------------------------------------------------------
    // Peak RSS of the service: VmHWM, reset per scenario through /proc/<pid>/clear_refs.

    private void resetPeakRss() {
        if (pid <= 0) {
            return;
        }
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
        } catch (IOException e) {
            // not permitted here: the figure is then the peak since the service started
        }
    }

    private long peakRssKb() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------
    // Output.

    private static String[] row(String... cells) {
        return cells;
    }

    private void printTable() throws IOException {
        String[] head = {"scenario", "throughput", "p50 / p99", "peak RSS", "vs target", "verify", "notes"};
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(table);
        StringBuilder md = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            md.append("| ").append(String.join(" | ", all.get(r))).append(" |\n");
            if (r == 0) {
                md.append("|---".repeat(head.length)).append("|\n");
            }
        }
        md.append("\nOverall verification: ").append(allPassed ? "PASS" : "FAIL").append('\n');
        System.out.println();
        System.out.print(md);
        if (!conf.get("out").isEmpty()) {
            Files.writeString(Path.of(conf.get("out")), md.toString());
        }
    }

    private static String fmtRate(double r) {
        return String.format(Locale.ROOT, "%,.0f", r);
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", kb / 1024);
    }

    private static String fmtMs(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    private static String pct(long[] ns, int p) {
        return fmtMs(pctNs(ns, p));
    }

    private static long pctNs(long[] ns, int p) {
        long[] s = Arrays.stream(ns).filter(v -> v >= 0).sorted().toArray();
        if (s.length == 0) {
            return -1;
        }
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Daemon platform threads, started at once. */
    private static final class Threads {
        static Thread start(Runnable r) {
            Thread t = new Thread(r);
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    /** A progress line on stderr, redrawn at most every two seconds. */
    static final class Progress {
        private final String name;
        private final long total;
        private final AtomicLong done = new AtomicLong();
        private final long start = System.nanoTime();
        private volatile long lastPrint = System.nanoTime();

        Progress(String name, long total) {
            this.name = name;
            this.total = total;
        }

        void add(long n) {
            set(done.addAndGet(n));
        }

        void set(long value) {
            done.set(value);
            long now = System.nanoTime();
            if (now - lastPrint > 2_000_000_000L) {
                lastPrint = now;
                print(value, now);
            }
        }

        private void print(long value, long now) {
            double s = (now - start) / 1e9;
            int width = 30;
            int filled = (int) (width * Math.min(1.0, value / (double) total));
            System.err.printf(Locale.ROOT, "\r  %-14s [%s%s] %,d/%,d  %,.0f/s  %.0f s   ", name, "#".repeat(filled),
                    ".".repeat(width - filled), value, total, value / Math.max(s, 1e-9), s);
        }

        void done() {
            long now = System.nanoTime();
            print(done.get(), now);
            System.err.println();
        }
    }
}
