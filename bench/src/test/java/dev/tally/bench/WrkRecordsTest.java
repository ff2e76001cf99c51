package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WrkRecordsTest {

    private static final Instant ARRIVAL = Instant.parse("2026-12-07T15:35:37.708Z");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");

    private static WrkRecords records(String spread) {
        return new WrkRecords(
                BenchConfig.parse("times=" + spread, "arrival=" + ARRIVAL).originals(1000));
    }

    @Test
    void theStreamIsMurmur3sFinaliser() {
        // reference values of fmix32 (computed with an independent implementation)
        assertThat(WrkRecords.fmix(1)).isEqualTo(0x514e28b7);
        assertThat(WrkRecords.fmix(42)).isEqualTo(0x087fcd5c);
        assertThat(WrkRecords.fmix(0xdeadbeef)).isEqualTo(0x0de5c6a9);
        assertThat(WrkRecords.fmix(0x80000000)).isEqualTo(0x6d3c65a0);
    }

    @Test
    void recordsHaveTheGeneratorsShapeAndSpread() {
        WrkRecords r = records("realistic");
        Set<String> destinations = new HashSet<>();
        int negative = 0;
        int over = 0;
        int lastHour = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Generator.Item it = r.item(i, i % 2, i / 2 + 1);
            assertThat(it.recordId()).isEqualTo("w-" + (i % 2) + "-" + (i / 2 + 1));
            destinations.add(it.destinationId());
            negative += it.positive() ? 0 : 1;
            over += it.value().compareTo(Expectation.THRESHOLD) > 0 ? 1 : 0;
            assertThat(it.unit()).isIn("SEK", "EUR", "USD", "NOK");
            assertThat(it.value()).isBetween(new BigDecimal("0.01"), new BigDecimal("99999.99"));
            Duration age = Duration.between(it.time(), ARRIVAL);
            assertThat(age).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofDays(90));
            lastHour += age.compareTo(Duration.ofHours(1)) < 0 ? 1 : 0;
        }
        assertThat(destinations).hasSize(1000);
        assertThat(negative / (double) n).isBetween(0.24, 0.26);
        assertThat(over / (double) n).isBetween(0.018, 0.022);
        assertThat(lastHour / (double) n).isBetween(0.945, 0.955);
    }

    @Test
    void uniformRecordsStayInTheGeneratorsThirtyDays() {
        WrkRecords r = records("uniform");
        for (int i = 0; i < 20_000; i++) {
            assertThat(r.item(i, 1, i + 1).time())
                    .isBetween(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-30T23:59:59.999Z"));
        }
    }

    @Test
    void theScriptsOutputIsParsed() {
        WrkSingle.Output out = WrkSingle.Output.parse(List.of(
                "Running 1s test @ http://127.0.0.1:1",
                "tally thread 0 sent 10 pending 2 9,10",
                "tally thread 1 sent 7 pending 0 ",
                "tally status 201 14",
                "tally status 409 1",
                "tally summary 1000500 15 0 0 0 1 0",
                "tally latency 5800 21600 40000",
                "tally cpu 12 3"));

        assertThat(out.sentCount()).isEqualTo(17);
        assertThat(out.pending()).containsEntry(0, Set.of(9L, 10L)).containsEntry(1, Set.of());
        assertThat(out.created()).isEqualTo(14);
        assertThat(out.statuses()).containsEntry(409, 1L);
        assertThat(out.seconds()).isEqualTo(1.0005);
        assertThat(out.socketErrors()).isZero();
        assertThat(out.p99Us()).isEqualTo(21_600);
        assertThat(out.cpuTicks()).isEqualTo(15);
        assertThatThrownBy(() -> WrkSingle.Output.parse(List.of("tally thread 0 sent 5 pending 3 1,2")))
                .hasMessageContaining("too many to list");
    }

    /**
     * The script in a real wrk against a stub service: every body is the record {@link
     * WrkRecords#item} computes for its (thread, n), statuses and pending requests come back exact.
     * Skipped where wrk is not installed (bench/run.sh installs it).
     */
    @Test
    void wrkSendsTheRecordsJavaComputesAndCountsWhatCameBack() throws Exception {
        assumeTrue(wrkInstalled(), "wrk is not installed");
        for (String spread : new String[] {"realistic", "uniform"}) {
            WrkRecords r = records(spread);
            Stub stub = new Stub();
            Path script = Files.createTempFile("wrk-test-", ".lua");
            Files.writeString(script, r.script());
            List<String> lines;
            try {
                lines = runWrk(script, stub.url());
            } finally {
                stub.stop();
                Files.delete(script);
            }
            WrkSingle.Output out = WrkSingle.Output.parse(lines);

            assertThat(stub.bodies).isNotEmpty();
            for (Map.Entry<String, Map<String, String>> e : stub.bodies.entrySet()) {
                String[] id = e.getKey().split("-");
                Generator.Item want = r.item(0, Integer.parseInt(id[1]), Long.parseLong(id[2]));
                Map<String, String> got = e.getValue();
                assertThat(Instant.parse(got.get("time")))
                        .as(spread + " " + e.getKey())
                        .isEqualTo(want.time());
                assertThat(got.get("destinationId")).isEqualTo(want.destinationId());
                assertThat(got.get("type")).isEqualTo(want.positive() ? "positive" : "negative");
                assertThat(new BigDecimal(got.get("value"))).isEqualTo(want.value());
                assertThat(got.get("unit")).isEqualTo(want.unit());
                assertThat(got.get("reference")).isEqualTo(want.reference());
                assertThat(got.get("sourceId")).isEqualTo("bench");
            }
            // wrk counted a 201 exactly for the requests answered 201 that are no longer pending; the
            // 201s still pending were in flight when wrk stopped (at most one per connection)
            long createdAndRead =
                    stub.createdIds.stream().filter(id -> !pending(out, id)).count();
            assertThat(out.created()).isEqualTo(createdAndRead);
            assertThat(stub.createdIds.size() - createdAndRead).isLessThanOrEqualTo(4);
            assertThat(stub.conflictIds).isNotEmpty().allMatch(id -> pending(out, id));
            assertThat(out.statuses().getOrDefault(409, 0L))
                    .isBetween(stub.conflictIds.size() - 4L, (long) stub.conflictIds.size());
            assertThat(out.sentCount()).isGreaterThanOrEqualTo(stub.bodies.size());
            assertThat(out.cpuTicks()).isNotNegative();
        }
    }

    private static boolean pending(WrkSingle.Output out, String recordId) {
        String[] p = recordId.split("-");
        return out.pending().get(Integer.parseInt(p[1])).contains(Long.parseLong(p[2]));
    }

    private static boolean wrkInstalled() {
        try {
            Process p = new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> runWrk(Path script, String url) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c4", "-d1s", "-s", script.toString(), url)
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return new ArrayList<>(output.lines().toList());
    }

    /** Answers 201 with the recordId, as the service does, and 409 to every 7th request. */
    private static final class Stub {
        final Map<String, Map<String, String>> bodies = new ConcurrentHashMap<>();
        final Set<String> createdIds = ConcurrentHashMap.newKeySet();
        final Set<String> conflictIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger seen = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final HttpServer server;

        Stub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(pool);
            server.createContext("/v1/records", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> fields = new ConcurrentHashMap<>();
                Matcher m = FIELD.matcher(body);
                while (m.find()) {
                    fields.put(m.group(1), m.group(2));
                }
                String id = fields.get("recordId");
                bodies.put(id, fields);
                boolean conflict = seen.incrementAndGet() % 7 == 0;
                byte[] answer = ("{\"recordId\":\"" + id + "\",\"outcome\":\"" + (conflict ? "conflict" : "accepted")
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                (conflict ? conflictIds : createdIds).add(id);
                exchange.sendResponseHeaders(conflict ? 409 : 201, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
