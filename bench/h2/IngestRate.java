import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP ingest rate of a running Tally, in records/s, for the embedded-database comparison of
 * docs/performance.md ("Durable H2 commits"). JDK only, run as a source file:
 *
 *   java bench/h2/IngestRate.java http://127.0.0.1:18090 batch 100000 4 1000 run1-
 *   java bench/h2/IngestRate.java http://127.0.0.1:18090 single 10000 64 1 run1-
 *
 * Arguments: base URL, scenario (batch: JSON arrays of BATCH records; single: one record per
 * request), records, concurrent clients, batch size, recordId prefix (fresh ids each run). Every
 * record must be acknowledged (accepted), or the run fails. A warm-up of 5 % is sent first and
 * not counted.
 */
public class IngestRate {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String scenario = args[1];
        int records = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        int batch = "single".equals(scenario) ? 1 : Integer.parseInt(args[4]);
        String prefix = args[5];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        run(http, base, batch, records / 20, clients, prefix + "w");
        long start = System.nanoTime();
        run(http, base, batch, records, clients, prefix);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %,d records in %.2f s: %,.0f records/s (%d clients, %d per request)%n",
                scenario, records, seconds, records / seconds, clients, batch);
    }

    private static void run(HttpClient http, String base, int batch, int records, int clients, String prefix)
            throws Exception {
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                while (true) {
                    long first = next.getAndAdd(batch);
                    if (first >= records) {
                        return null;
                    }
                    int n = (int) Math.min(batch, records - first);
                    StringBuilder body = new StringBuilder(batch == 1 ? "" : "[");
                    for (int i = 0; i < n; i++) {
                        body.append(i > 0 ? "," : "").append(record(prefix + (first + i), first + i));
                    }
                    if (batch > 1) {
                        body.append(']');
                    }
                    String path = batch == 1 ? "/v1/records" : "/v1/records/batch";
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    boolean ok = batch == 1 ? r.statusCode() == 201
                            : r.statusCode() == 200 && r.body().startsWith("{\"accepted\":" + n + ",");
                    if (!ok) {
                        throw new IllegalStateException(path + " answered " + r.statusCode() + ": "
                                + r.body().substring(0, Math.min(300, r.body().length())));
                    }
                }
            }));
        }
        pool.shutdown();
        for (Future<?> f : done) {
            f.get();
        }
    }

    /** 40 destinations × 4 references, SEK and EUR, values 0.00–14999.99, times over 30 days. */
    private static String record(String id, long i) {
        long h = i * 0x9E3779B97F4A7C15L;
        int v = (int) Math.floorMod(h >>> 7, 1_500_000L);
        long second = Math.floorMod(h >>> 29, 30L * 86_400);
        return "{\"recordId\":\"" + id + "\",\"time\":\"" + java.time.Instant.parse("2026-03-01T00:00:00Z")
                .plusSeconds(second) + "\",\"sourceId\":\"billing\",\"destinationId\":\"acct-" + Math.floorMod(h, 40)
                + "\",\"type\":\"" + (Math.floorMod(h >>> 3, 3) == 0 ? "negative" : "positive") + "\",\"value\":\""
                + v / 100 + "." + String.format(Locale.ROOT, "%02d", v % 100) + "\",\"unit\":\""
                + (((h >>> 5) & 1) == 0 ? "SEK" : "EUR") + "\",\"reference\":\"inv-" + Math.floorMod(h >>> 11, 4) + "\"}";
    }
}
