package dev.tally.processing;

import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Feeds;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import dev.tally.support.TallyJar;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * SPEC §3.6, "acknowledged only after the unit of work is durably committed; a crash at any point
 * loses nothing and doubles nothing", tested the way it fails in operation: the packaged jar as a
 * child process under continuous HTTP ingest (single records and JSON-array batches from several
 * clients), SIGKILLed at a random moment, restarted on the same database, {@link #KILLS} times.
 *
 * <p>Every acknowledged recordId (a {@code 201}/{@code 200} single answer, a batch item
 * {@code accepted}) is written down when its answer arrives. After the last restart the service
 * must hold every one of them, with the content that was sent; records whose answer never came
 * (in flight at the kill) may or may not be there, but if they are, they too are whole and once.
 * The notification feed must hold exactly one message per stored record, seqs 1..n without gaps,
 * the summaries chaining as the test's own fold says; the alert feed one alert per stored record
 * above its threshold; the totals count every stored record once.
 *
 * <p>Kills: {@code -Dtally.crashloop.kills} (default 3; {@code ./mvnw verify -Plong} sets 20,
 * and {@code .ci/run} runs the loops that way after the build).
 */
abstract class AbstractCrashLoopIT {

    private static final Logger log = LoggerFactory.getLogger(AbstractCrashLoopIT.class);

    static final int KILLS = Integer.getInteger("tally.crashloop.kills", 3);
    private static final int CLIENTS = 4;
    private static final int MAX_BATCH = 200;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FIRST_ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLIENTS_STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The ingest before a kill runs this long at least, and at most this plus the spread. */
    private static final long MIN_RUN_MS = 300;

    private static final long RUN_SPREAD_MS = 1_500;

    /** The database-specific {@code --key=value} arguments of every start; same database each time. */
    abstract List<String> databaseArgs();

    /** Prepares an empty database (or folder) for the loop; called once. */
    abstract void freshDatabase() throws IOException;

    /** A short name for logs and the work folder. */
    abstract String name();

    final Path workDir() {
        return Path.of("target", "crash-loop", name()).toAbsolutePath();
    }

    /** What the loop saw, for the log and docs/reliability.md. */
    record Figures(
            int kills, long sent, long acknowledged, long stored, long lost, long doubled, long inFlightStored) {}

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES) // the loop's own waits are bounded; this is the net
    final void everyAcknowledgedRecordSurvivesRepeatedSigkill() throws Exception {
        freshDatabase();
        Map<String, Rec> sent = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new ArrayList<>();
        Random random = new Random(42);
        List<String> args = new ArrayList<>(databaseArgs());
        args.add("--tally.alerts.thresholds.EUR=" + Model.THRESHOLDS.get("EUR").toPlainString());

        for (int round = 0; round < KILLS; round++) {
            Path instanceLog = workDir().resolve("instance-" + round + ".log");
            TallyJar victim = TallyJar.start(workDir(), instanceLog, args);
            Load load = new Load(round, victim.base(), sent, acknowledged);
            try {
                load.start();
                load.awaitFirstAck();
                Thread.sleep(MIN_RUN_MS + random.nextInt((int) RUN_SPREAD_MS));
                assertThat(victim.isAlive())
                        .as("the service runs until the kill; see %s", instanceLog)
                        .isTrue();
            } finally {
                victim.kill(); // SIGKILL: the point of the test, and whatever failed above, no child outlives it
                load.stop();
            }
            unexpected.addAll(load.unexpected); // the clients have stopped
            log.info(
                    "{} round {}: killed after {} acknowledgements in this round ({} in all, {} sent)",
                    name(),
                    round,
                    load.acksThisRound.get(),
                    acknowledged.size(),
                    sent.size());
        }
        assertThat(unexpected).as("answers other than accepted/duplicate/503").isEmpty();

        try (TallyJar survivor = TallyJar.start(workDir(), workDir().resolve("survivor.log"), args)) {
            Figures figures = verify(new Api(survivor.port()), sent, acknowledged);
            log.info("{} crash loop: {}", name(), figures);
            Files.writeString(workDir().resolve("figures.txt"), figures + System.lineSeparator());
            assertThat(figures.lost())
                    .as("acknowledged records lost (of %d acknowledged)", figures.acknowledged())
                    .isZero();
            assertThat(figures.doubled()).as("doubled notifications").isZero();
        }
    }

    /** Checks the survivor's state against what was sent and acknowledged; fails on anything but a loss count. */
    private Figures verify(Api api, Map<String, Rec> sent, Set<String> acknowledged) {
        List<JsonNode> notifications = Feeds.all(api, "/v1/notifications");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        long doubled = 0;
        for (JsonNode n : notifications) {
            if (byId.put(n.get("messageId").asString(), n) != null) {
                doubled++;
            }
        }
        long lost = acknowledged.stream().filter(id -> !byId.containsKey(id)).count();
        if (lost > 0) {
            List<String> some = acknowledged.stream()
                    .filter(id -> !byId.containsKey(id))
                    .sorted()
                    .limit(10)
                    .toList();
            log.error("{}: {} acknowledged records are not in the notification feed, e.g. {}", name(), lost, some);
        }
        if (doubled == 0) {
            Feeds.assertGapless(notifications);
        }
        Map<String, Rec> stored = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : byId.entrySet()) {
            Rec want = sent.get(e.getKey());
            assertThat(want)
                    .as("stored record %s was sent by this test", e.getKey())
                    .isNotNull();
            assertSameContent(e.getValue().get("record"), want);
            stored.put(want.recordId(), want);
        }
        Model.checkSummaries(byId, stored);

        // The records table itself, not only the outbox: the aggregation stream lists every stored
        // record with its content, once; the totals count it once; a GET by id answers for a sample.
        Api.Response all = api.get("/v1/aggregations");
        assertThat(all.status()).isEqualTo(200);
        Map<String, JsonNode> records = new HashMap<>();
        long counted = 0;
        for (JsonNode g : all.json().get("groups")) {
            counted += g.get("recordCount").asLong();
            for (JsonNode r : g.get("records")) {
                assertThat(records.put(r.get("recordId").asString(), r))
                        .as("record listed once")
                        .isNull();
            }
        }
        assertThat(records.keySet()).as("records table = notification feed").isEqualTo(stored.keySet());
        assertThat(counted).as("records counted by the totals").isEqualTo(stored.size());
        records.forEach((id, r) -> assertSameContent(r, stored.get(id)));
        List<String> sample = new ArrayList<>(stored.keySet());
        Collections.shuffle(sample, new Random(7));
        for (String id : sample.subList(0, Math.min(200, sample.size()))) {
            Api.Response r = api.get("/v1/records/" + id);
            assertThat(r.status()).as("GET /v1/records/%s", id).isEqualTo(200);
            assertSameContent(r.json(), stored.get(id));
        }

        List<JsonNode> alerts = Feeds.all(api, "/v1/alerts");
        Feeds.assertGapless(alerts);
        Map<String, JsonNode> alertsById = new HashMap<>();
        for (JsonNode a : alerts) {
            assertThat(alertsById.put(a.get("messageId").asString(), a))
                    .as("one alert per record")
                    .isNull();
        }
        assertThat(alertsById.keySet())
                .isEqualTo(Model.alerting(stored.values()).keySet());

        long inFlightStored = stored.keySet().stream()
                .filter(id -> !acknowledged.contains(id))
                .count();
        return new Figures(KILLS, sent.size(), acknowledged.size(), stored.size(), lost, doubled, inFlightStored);
    }

    private static void assertSameContent(JsonNode got, Rec want) {
        assertThat(got.get("recordId").asString()).isEqualTo(want.recordId());
        assertThat(Instant.parse(got.get("time").asString()))
                .as("time of %s", want.recordId())
                .isEqualTo(want.instant());
        assertThat(got.get("sourceId").asString()).isEqualTo("billing");
        assertThat(got.get("destinationId").asString()).isEqualTo(want.destinationId());
        assertThat(got.get("type").asString()).isEqualTo(want.type());
        // Exactly, scale included: 12.30 stays 12.30.
        assertThat(got.get("value").decimalValue())
                .as("value of %s", want.recordId())
                .isEqualTo(want.value());
        assertThat(got.get("unit").asString()).isEqualTo(want.unit());
        assertThat(got.get("reference").asString()).isEqualTo(want.reference());
    }

    /**
     * {@value #CLIENTS} clients posting until stopped: each request is a single record or a batch of
     * 2..{@value #MAX_BATCH}, fresh recordIds only, no retries (so an answer is the only evidence).
     */
    private static final class Load {
        private final int round;
        private final String base;
        private final Map<String, Rec> sent;
        private final Set<String> acknowledged;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong acksThisRound = new AtomicLong();
        private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        // Per round: connections of a killed process are not reused.
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

        Load(int round, String base, Map<String, Rec> sent, Set<String> acknowledged) {
            this.round = round;
            this.base = base;
            this.sent = sent;
            this.acknowledged = acknowledged;
        }

        void start() {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.execute(() -> run(client));
            }
        }

        void awaitFirstAck() {
            await("a first acknowledgement in round " + round)
                    .atMost(FIRST_ACK_TIMEOUT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> acksThisRound.get() > 0);
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(CLIENTS_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the clients stop after the kill")
                    .isTrue();
        }

        private void run(int clientNo) {
            Random random = new Random(round * 1_000L + clientNo);
            long n = 0;
            while (!stopped.get()) {
                int size = random.nextBoolean() ? 1 : 2 + random.nextInt(MAX_BATCH - 1);
                List<Rec> records = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    Rec r = record(random, "k" + round + "-c" + clientNo + "-" + n++);
                    sent.put(r.recordId(), r); // before the request: a record stored without an answer is still known
                    records.add(r);
                }
                try {
                    if (size == 1) {
                        postOne(records.get(0));
                    } else {
                        postBatch(records);
                    }
                } catch (IOException e) {
                    // The kill: connection refused or reset, no answer, nothing acknowledged.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    unexpected.add(e.toString());
                }
            }
        }

        private void postOne(Rec r) throws IOException, InterruptedException {
            HttpResponse<String> response = send("/v1/records", r.json());
            int status = response.statusCode();
            if (status == 201 || status == 200) {
                ack(r.recordId());
            } else if (status != 503) {
                unexpected.add(status + " " + response.body());
            }
        }

        private void postBatch(List<Rec> records) throws IOException, InterruptedException {
            StringBuilder body = new StringBuilder("[");
            for (Rec r : records) {
                body.append(body.length() > 1 ? "," : "").append(r.json());
            }
            HttpResponse<String> response =
                    send("/v1/records/batch", body.append(']').toString());
            if (response.statusCode() == 503) {
                return;
            }
            if (response.statusCode() != 200) {
                unexpected.add(response.statusCode() + " " + response.body());
                return;
            }
            JsonNode results = Api.JSON.readTree(response.body()).get("results");
            for (JsonNode item : results) {
                String outcome = item.get("outcome").asString();
                if ("accepted".equals(outcome) || "duplicate".equals(outcome)) {
                    ack(records.get(item.get("index").asInt()).recordId());
                } else {
                    unexpected.add("batch item " + item);
                }
            }
        }

        private void ack(String id) {
            acknowledged.add(id);
            acksThisRound.incrementAndGet();
        }

        private HttpResponse<String> send(String path, String json) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A record as in {@link Model#generate}: 40 destinations × 4 references, SEK and EUR, values 0–15000. */
    private static Rec record(Random random, String id) {
        String dest = "acct-" + random.nextInt(40);
        String ref = "inv-" + random.nextInt(4);
        String type = random.nextInt(3) == 0 ? "negative" : "positive";
        BigDecimal value = BigDecimal.valueOf(random.nextInt(1_500_000), 2);
        String unit = random.nextBoolean() ? "SEK" : "EUR";
        Instant time = Instant.parse("2026-03-01T00:00:00Z")
                .plusSeconds(random.nextInt(30 * 86_400))
                .plusNanos(random.nextInt(1000) * 1000L);
        return Rec.rec(id)
                .time(time)
                .dest(dest)
                .type(type)
                .value(value)
                .unit(unit)
                .ref(ref);
    }
}
