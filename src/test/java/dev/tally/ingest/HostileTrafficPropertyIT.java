package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.support.Api;
import dev.tally.support.Feeds;
import dev.tally.support.Hostile;
import dev.tally.support.Hostile.Case;
import dev.tally.support.Hostile.Expect;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-based hostile input over HTTP and Kafka, against PostgreSQL and a real broker: 12,000
 * generated payloads ({@link Hostile}), valid records interleaved with hostile ones. The
 * properties, for every payload:
 * <ul>
 *   <li>no answer is a 5xx, and every refusal is a problem+json naming what was wrong;</li>
 *   <li>a valid record is accepted; a payload the SPEC calls invalid is refused (400/413, batch
 *       outcome {@code invalid}, or a dead letter with reason {@code invalid}), and is never
 *       stored: the stored recordIds are exactly the accepted ones, each with one notification;</li>
 *   <li>no single request takes seconds (the hostile fields are bounded before they are parsed);</li>
 *   <li>on Kafka every bad message is dead-lettered with its original offset, and the valid
 *       messages around it are all processed.</li>
 * </ul>
 * The run's seed is logged; {@code -Dtally.hostile.seed=N} replays it. The generator is ours rather
 * than jqwik's: jqwik's authors ask, from version 1.10 on, that it not be used by AI coding agents,
 * which write part of this code base. Each case breaks one rule only and names it, so a failure
 * reports its own minimal case, which is what shrinking would have searched for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTrafficPropertyIT {

    private static final Logger log = LoggerFactory.getLogger(HostileTrafficPropertyIT.class);
    private static final String TOPIC = "hostile-records";
    /** No single request may spend this long; the worst fields cost 14 s before they were bounded. */
    private static final Duration MAX_REQUEST = Duration.ofSeconds(2);

    /** Reads back what was sent: the accepted payloads may carry ignored extras past Jackson's default limits. */
    private static final JsonMapper SENT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxNestingDepth(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final long SEED = Long.getLong("tally.hostile.seed", new SplittableRandom().nextLong());

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;
    private static Api api;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        log.info("Hostile input seed {} (replay with -Dtally.hostile.seed={})", SEED, SEED);
        kafka = KafkaCluster.start("hostile");
        kafka.createTopics(3, TOPIC, "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", TOPIC);
        app = Instances.start(p);
        api = new Api(Instances.port(app));
        jdbc = Instances.postgres();
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    @Test
    @Order(1)
    void overHttpEveryHostilePayloadIsRefusedQuicklyAndNothingOfItIsStored() {
        Map<String, Case> accepted = new HashMap<>();
        List<Long> micros = new ArrayList<>();

        Hostile singles = new Hostile(SEED, "hs-", 1_000_000);
        for (Case c : singles.cases(4_000, 0.3)) {
            long started = System.nanoTime();
            Api.Response r = api.postJson("/v1/records", c.json());
            micros.add((System.nanoTime() - started) / 1_000);
            assertThat(micros.get(micros.size() - 1))
                    .as("microseconds spent on %s", c)
                    .isLessThan(MAX_REQUEST.toNanos() / 1_000);
            assertThat(r.status()).as("status of %s, body %s", c, r.body()).isLessThan(500);
            boolean ok = r.status() == 201;
            if (!ok) {
                assertThat(r.status()).as("status of %s, body %s", c, r.body()).isIn(400, 413);
                assertThat(r.contentType()).as("refusal of %s", c).startsWith("application/problem+json");
                assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
            }
            check(c, ok, r.body());
            if (ok) {
                accepted.put(r.json().get("recordId").asString(), c);
            }
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        log.info(
                "Single POSTs of {} payloads: p50 {} us, p99 {} us, max {} us",
                sorted.length,
                sorted[sorted.length / 2],
                sorted[sorted.length * 99 / 100],
                sorted[sorted.length - 1]);

        Hostile arrays = new Hostile(SEED + 1, "ha-", 100_000);
        for (int b = 0; b < 100; b++) {
            List<Case> items = arrays.cases(30, 0.3).stream()
                    .filter(c -> !c.structural())
                    .limit(20)
                    .toList();
            String body = items.stream().map(Case::json).collect(Collectors.joining(",", "[", "]"));
            checkBatch(items, api.postJson("/v1/records/batch", body), accepted);
        }

        Hostile lines = new Hostile(SEED + 2, "hn-", 100_000);
        for (int b = 0; b < 100; b++) {
            List<Case> items = lines.cases(20, 0.3);
            String body = items.stream().map(Case::json).collect(Collectors.joining("\n", "", "\n"));
            checkBatch(items, api.post("/v1/records/batch", "application/x-ndjson", body), accepted);
        }

        Set<String> stored = storedIds();
        assertThat(stored)
                .as("stored recordIds = accepted ones (nothing invalid stored)")
                .isEqualTo(accepted.keySet());
        List<JsonNode> notifications = Feeds.all(api, "/v1/notifications");
        Feeds.assertGapless(notifications);
        assertThat(notifications.stream()
                        .map(n -> n.get("messageId").asString())
                        .collect(Collectors.toSet()))
                .as("one notification per stored record")
                .hasSize(notifications.size())
                .isEqualTo(accepted.keySet());
        assertReadable(accepted);
        log.info(
                "HTTP: {} payloads, {} accepted and stored, 0 invalid stored, 0 x 5xx",
                4_000 + 2 * 100 * 20,
                accepted.size());
    }

    @Test
    @Order(2)
    void overKafkaEveryBadMessageIsDeadLetteredAndTheValidOnesAroundItFlow() {
        Hostile gen = new Hostile(SEED + 3, "hk-", 200_000);
        List<Case> cases = gen.cases(4_000, 0.3);
        Set<String> storedBefore = storedIds();
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            input.add(
                    new ProducerRecord<>(TOPIC, "key-" + (i % 37), cases.get(i).json()));
        }
        List<RecordMetadata> acks = kafka.produce(input);
        Map<String, Case> byOffset = new HashMap<>();
        List<String> offsets = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            offsets.add(acks.get(i).partition() + "/" + acks.get(i).offset());
            byOffset.put(offsets.get(i), cases.get(i));
        }
        long valid = cases.stream().filter(c -> c.expect() == Expect.VALID).count();
        long invalid = cases.stream().filter(c -> c.expect() == Expect.INVALID).count();
        long either = cases.size() - valid - invalid;

        Duration timeout = Duration.ofSeconds(120);
        List<ConsumerRecord<String, String>> dlq =
                kafka.readCommitted("records.dlq", (int) invalid, timeout, Duration.ofSeconds(1));
        Set<String> lettered = new HashSet<>();
        for (ConsumerRecord<String, String> r : dlq) {
            assertThat(Model.header(r, "tally-dlq-original-topic")).isEqualTo(TOPIC);
            String where = Model.header(r, "tally-dlq-original-partition") + "/"
                    + Model.header(r, "tally-dlq-original-offset");
            Case c = byOffset.get(where);
            assertThat(c).as("dead letter from %s", where).isNotNull();
            assertThat(lettered.add(where)).as("one dead letter for %s", c).isTrue();
            assertThat(c.expect()).as("dead-lettered %s", c).isNotEqualTo(Expect.VALID);
            assertThat(Model.header(r, "tally-dlq-reason"))
                    .as("reason for %s", c)
                    .isEqualTo("invalid");
            assertThat(r.value().equals(c.json()))
                    .as(
                            "dead letter of %s carries the message as sent: got %s",
                            c, r.value().length() > 300 ? r.value().substring(0, 300) : r.value())
                    .isTrue();
        }
        for (Map.Entry<String, Case> e : byOffset.entrySet()) {
            if (e.getValue().expect() == Expect.INVALID) {
                assertThat(lettered).as("dead letter of %s", e.getValue()).contains(e.getKey());
            }
        }

        long processed = cases.size() - lettered.size();
        assertThat(processed).isBetween(valid, valid + either);
        Set<String> stored = await().atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> storedSince(storedBefore), ids -> ids.size() >= processed);
        Map<String, Case> expected = new HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            if (!lettered.contains(offsets.get(i))) {
                expected.put(cases.get(i).recordId(), cases.get(i));
            }
        }
        assertThat(stored)
                .as("stored over Kafka = the messages not dead-lettered")
                .isEqualTo(expected.keySet());
        assertReadable(expected);
        log.info(
                "Kafka: {} messages, {} dead-lettered, {} processed, 0 invalid stored",
                cases.size(),
                lettered.size(),
                stored.size());
    }

    private static void checkBatch(List<Case> items, Api.Response r, Map<String, Case> accepted) {
        assertThat(r.status()).as("batch status, body %s", r.body()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results.size()).isEqualTo(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode result = results.get(i);
            assertThat(result.get("index").asInt()).isEqualTo(i);
            String outcome = result.get("outcome").asString();
            assertThat(outcome).as("outcome of %s", items.get(i)).isIn("accepted", "invalid");
            if ("invalid".equals(outcome)) {
                assertThat(result.get("errors"))
                        .as("errors of %s", items.get(i))
                        .isNotEmpty();
            }
            check(items.get(i), "accepted".equals(outcome), result.toString());
            if ("accepted".equals(outcome)) {
                accepted.put(result.get("recordId").asString(), items.get(i));
            }
        }
    }

    /** Checks one answer against what the SPEC requires of the case. */
    private static void check(Case c, boolean accepted, String answer) {
        switch (c.expect()) {
            case VALID ->
                assertThat(accepted)
                        .as("a valid record is accepted: %s -> %s", c, answer)
                        .isTrue();
            case INVALID ->
                assertThat(accepted)
                        .as("an invalid payload is refused: %s -> %s", c, answer)
                        .isFalse();
            case EITHER -> {}
        }
        if (accepted) {
            assertThat(c.recordId()).as("accepted %s", c).isNotNull();
        }
    }

    /** Every accepted record reads back under its exact recordId, with the content it was sent with. */
    private static void assertReadable(Map<String, Case> accepted) {
        for (Map.Entry<String, Case> e : accepted.entrySet()) {
            String id = e.getKey();
            JsonNode sent = SENT.readTree(e.getValue().json());
            Api.Response r = api.get("/v1/records/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(r.status()).as("GET record %s: %s", id, r.body()).isEqualTo(200);
            JsonNode got = r.json();
            assertThat(got.get("recordId").asString()).isEqualTo(id);
            assertThat(got.get("value").decimalValue())
                    .as("value of %s", id)
                    .isEqualByComparingTo(new BigDecimal(sent.get("value").asString()));
            assertThat(Instant.parse(got.get("time").asString()))
                    .as("time of %s", id)
                    .isEqualTo(OffsetDateTime.parse(sent.get("time").asString()).toInstant());
            for (String field : List.of("sourceId", "destinationId", "type", "unit", "reference")) {
                assertThat(got.get(field).asString())
                        .as("%s of %s", field, id)
                        .isEqualTo(sent.get(field).asString());
            }
        }
    }

    private static Set<String> storedIds() {
        return new HashSet<>(jdbc.queryForList("SELECT record_id FROM records", String.class));
    }

    private static Set<String> storedSince(Set<String> before) {
        Set<String> ids = storedIds();
        ids.removeAll(before);
        return ids;
    }
}
