package dev.tally.ingest;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The whole Kafka path with a real broker and PostgreSQL: 10,000 distinct records on two input
 * topics, plus duplicates across the topics, conflicts and invalid messages. Expected outputs come
 * from {@link Model}; where a dead letter came from is known from the producer's own acks.
 */
class KafkaPipelineIT {

    private static final String TOPIC_A = "records-a";
    private static final String TOPIC_B = "records-b";
    private static final int UNIQUE = 10_000;
    private static final int DUPLICATES = 1_000;
    private static final int CONFLICTS = 200;
    private static final int INVALID_PER_KIND = 50;

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("pipeline");
        kafka.createTopics(3, TOPIC_A, TOPIC_B, "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", TOPIC_A + "," + TOPIC_B);
        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    private record Letter(String reason, String fields, String recordId, String value) {}

    @Test
    void everyRecordOnceInOrderWithTheRightAlertsAndEveryBadMessageDeadLettered() {
        Random random = new Random(20261123);
        List<Rec> unique = Model.generate(UNIQUE, "k-", 42);
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        List<String> topicOf = new ArrayList<>();
        for (Rec r : unique) {
            String topic = random.nextBoolean() ? TOPIC_A : TOPIC_B;
            topicOf.add(topic);
            input.add(new ProducerRecord<>(topic, r.recordId(), r.json()));
        }
        List<Integer> shuffled = new ArrayList<>();
        for (int i = 0; i < UNIQUE; i++) {
            shuffled.add(i);
        }
        Collections.shuffle(shuffled, random);
        // Duplicates: the same content, spelled differently, on the OTHER topic (any order relative
        // to the original: both orders give one accepted and one duplicate).
        List<ProducerRecord<String, String>> extra = new ArrayList<>();
        for (int i : shuffled.subList(0, DUPLICATES)) {
            String other = topicOf.get(i).equals(TOPIC_A) ? TOPIC_B : TOPIC_A;
            extra.add(new ProducerRecord<>(
                    other, unique.get(i).recordId(), unique.get(i).otherSpelling()));
        }
        // Conflicts: same recordId, another value, on the SAME topic and key, hence the same
        // partition after the original: the original is accepted, this one is the conflict.
        List<ProducerRecord<String, String>> conflicts = new ArrayList<>();
        for (int i : shuffled.subList(DUPLICATES, DUPLICATES + CONFLICTS)) {
            Rec changed = unique.get(i).value(unique.get(i).value().add(BigDecimal.ONE));
            conflicts.add(new ProducerRecord<>(topicOf.get(i), changed.recordId(), changed.json()));
        }
        List<ProducerRecord<String, String>> invalid = new ArrayList<>();
        List<Letter> invalidLetters = new ArrayList<>();
        for (int i = 0; i < INVALID_PER_KIND; i++) {
            String id = "bad-" + i;
            addInvalid(invalid, invalidLetters, random, "{\"recordId\": \"" + id + "\", oops", "$", null);
            addInvalid(invalid, invalidLetters, random, "[1,2,3]", "$", null);
            addInvalid(
                    invalid,
                    invalidLetters,
                    random,
                    "{\"recordId\":\"" + id + "-u\",\"time\":\"2026-03-01T12:00:00Z\",\"sourceId\":\"s\","
                            + "\"destinationId\":\"acct-1\",\"type\":\"positive\",\"value\":\"1\",\"reference\":\"x\"}",
                    "unit",
                    id + "-u");
            addInvalid(
                    invalid,
                    invalidLetters,
                    random,
                    rec(id + "-v")
                            .time("2026-03-01T12:00:00Z")
                            .dest("acct-1")
                            .type("positive")
                            .number("-5")
                            .unit("SEK")
                            .ref("x")
                            .json(),
                    "value",
                    id + "-v");
            addInvalid(
                    invalid,
                    invalidLetters,
                    random,
                    rec(id + "-t")
                            .time("2026-03-01T12:00:00")
                            .dest("acct-1")
                            .type("positive")
                            .number("5")
                            .unit("SEK")
                            .ref("x")
                            .json(),
                    "time",
                    id + "-t");
            addInvalid(
                    invalid,
                    invalidLetters,
                    random,
                    rec(id + "-y")
                            .time("2026-03-01T12:00:00Z")
                            .dest("acct-1")
                            .type("credit")
                            .number("5")
                            .unit("SEK")
                            .ref("x")
                            .json(),
                    "type",
                    id + "-y");
        }
        extra.addAll(invalid);
        Collections.shuffle(extra, random);
        int conflictsFrom = input.size();
        input.addAll(conflicts);
        input.addAll(extra);

        long started = System.nanoTime();
        List<RecordMetadata> acks = kafka.produce(input);
        org.slf4j.LoggerFactory.getLogger(KafkaPipelineIT.class)
                .info("{} messages produced in {} ms", input.size(), (System.nanoTime() - started) / 1_000_000);
        Map<String, Letter> expectedDlq = new HashMap<>(); // "topic/partition/offset" -> letter
        for (int i = conflictsFrom; i < conflictsFrom + CONFLICTS; i++) {
            expectedDlq.put(
                    where(acks.get(i)),
                    new Letter(
                            "conflict",
                            "value",
                            input.get(i).key(),
                            input.get(i).value()));
        }
        for (int i = conflictsFrom + CONFLICTS; i < input.size(); i++) {
            int k = invalid.indexOf(input.get(i));
            if (k >= 0) {
                expectedDlq.put(where(acks.get(i)), invalidLetters.get(k));
            }
        }
        assertThat(expectedDlq).hasSize(CONFLICTS + 6 * INVALID_PER_KIND);

        Map<String, Rec> records = Model.byId(unique);
        Duration timeout = Duration.ofSeconds(120);
        List<ConsumerRecord<String, String>> notifications =
                kafka.readCommitted("notifications", UNIQUE, timeout, Duration.ofSeconds(1));
        org.slf4j.LoggerFactory.getLogger(KafkaPipelineIT.class)
                .info(
                        "From the first message produced to all notifications read back: {} ms (3 s settle included)",
                        (System.nanoTime() - started) / 1_000_000);
        Map<String, JsonNode> byId = Model.checkExactlyOnce(notifications, records, "record.processed");
        Model.checkSummaries(byId, records);
        String source = "urn:tally:deployment:"
                + app.getBean(JdbcTemplate.class).queryForObject("SELECT deployment_id FROM deployment", String.class);
        checkCloudEvents(notifications, byId, "dev.tally.record.processed.v1", source);

        Map<String, Rec> alerting = Model.alerting(unique);
        assertThat(alerting.size()).isBetween(UNIQUE / 10, UNIQUE / 2); // the data really exercises both thresholds
        List<ConsumerRecord<String, String>> alerts =
                kafka.readCommitted("alerts", alerting.size(), timeout, Duration.ofSeconds(1));
        Map<String, JsonNode> alertsById = Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");
        checkCloudEvents(alerts, alertsById, "dev.tally.alert.raised.v1", source);
        for (Map.Entry<String, JsonNode> e : alertsById.entrySet()) {
            Rec r = alerting.get(e.getKey());
            BigDecimal threshold = Model.THRESHOLDS.getOrDefault(r.unit(), Model.DEFAULT_THRESHOLD);
            assertThat(e.getValue().get("threshold").get("value").decimalValue())
                    .isEqualByComparingTo(threshold);
        }

        Map<String, RecordMetadata> ackAt = new HashMap<>();
        for (RecordMetadata m : acks) {
            ackAt.put(where(m), m);
        }
        List<ConsumerRecord<String, String>> dlq =
                kafka.readCommitted("records.dlq", expectedDlq.size(), timeout, Duration.ofSeconds(1));
        Map<String, Letter> gotDlq = new HashMap<>();
        for (ConsumerRecord<String, String> r : dlq) {
            String from =
                    Model.header(r, "tally-dlq-original-topic") + "/" + Model.header(r, "tally-dlq-original-partition")
                            + "/" + Model.header(r, "tally-dlq-original-offset");
            assertThat(Model.header(r, "tally-dlq-errors")).startsWith("[{\"field\":");
            Letter previous = gotDlq.put(
                    from,
                    new Letter(
                            Model.header(r, "tally-dlq-reason"),
                            Model.header(r, "tally-dlq-fields"),
                            Model.header(r, "tally-dlq-record-id"),
                            r.value()));
            assertThat(previous).as("one dead letter per bad message").isNull();
            // Spring Kafka's standard headers say the same, in its binary encodings, with the
            // producer's own timestamp of the original.
            RecordMetadata original = ackAt.get(from);
            assertThat(original).as(from).isNotNull();
            assertThat(Model.header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(original.topic());
            assertThat(r.headers()
                            .lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION)
                            .value())
                    .isEqualTo(ByteBuffer.allocate(Integer.BYTES)
                            .putInt(original.partition())
                            .array());
            assertThat(r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value())
                    .isEqualTo(ByteBuffer.allocate(Long.BYTES)
                            .putLong(original.offset())
                            .array());
            assertThat(r.headers()
                            .lastHeader(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP)
                            .value())
                    .isEqualTo(ByteBuffer.allocate(Long.BYTES)
                            .putLong(original.timestamp())
                            .array());
            assertThat(Model.header(r, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE))
                    .isEqualTo("CreateTime");
            assertThat(Model.header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                    .startsWith(Model.header(r, "tally-dlq-reason") + ": ");
            assertThat(r.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)).isNull();
        }
        assertThat(gotDlq).isEqualTo(expectedDlq);

        checkAggregations(new Api(Instances.port(app)), unique);

        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "conflict")
                        .counter()
                        .count())
                .isEqualTo(CONFLICTS);
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "invalid")
                        .counter()
                        .count())
                .isEqualTo(6 * INVALID_PER_KIND);
        assertThat(meters.get("tally.kafka.relay.published")
                        .tag("feed", "notifications")
                        .counter()
                        .count())
                .isEqualTo(UNIQUE);
    }

    private static void addInvalid(
            List<ProducerRecord<String, String>> out,
            List<Letter> letters,
            Random random,
            String value,
            String fields,
            String recordId) {
        out.add(new ProducerRecord<>(random.nextBoolean() ? TOPIC_A : TOPIC_B, "bad", value));
        letters.add(new Letter("invalid", fields, recordId, value));
    }

    /**
     * The CloudEvents 1.0 binary-mode headers (docs/kafka.md) of every message, as a plain consumer
     * reads them: id = messageId, subject = key = destinationId, time = the payload's processedAt.
     */
    private static void checkCloudEvents(
            List<ConsumerRecord<String, String>> messages,
            Map<String, JsonNode> byMessageId,
            String type,
            String source) {
        assertThat(byMessageId).hasSize(messages.size());
        for (ConsumerRecord<String, String> r : messages) {
            JsonNode payload = byMessageId.get(Model.header(r, "messageId"));
            assertThat(payload).as("message %s", Model.header(r, "messageId")).isNotNull();
            assertThat(Model.header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(Model.header(r, "ce_id"))
                    .isEqualTo(payload.get("messageId").asString());
            assertThat(Model.header(r, "ce_source")).isEqualTo(source);
            assertThat(Model.header(r, "ce_type")).isEqualTo(type);
            assertThat(Model.header(r, "ce_subject")).isEqualTo(r.key());
            assertThat(Model.header(r, "content-type")).isEqualTo("application/json");
            assertThat(Model.header(r, "ce_time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(OffsetDateTime.parse(Model.header(r, "ce_time")).toInstant())
                    .isEqualTo(OffsetDateTime.parse(payload.get("processedAt").asString())
                            .toInstant());
        }
    }

    private static String where(RecordMetadata m) {
        return m.topic() + "/" + m.partition() + "/" + m.offset();
    }

    /** Totals per destination and unit, over HTTP, against the model's own sums. */
    private static void checkAggregations(Api api, List<Rec> unique) {
        Map<String, Map<String, BigDecimal[]>> want = new TreeMap<>();
        for (Rec r : unique) {
            BigDecimal[] t = want.computeIfAbsent(r.destinationId(), d -> new TreeMap<>())
                    .computeIfAbsent(r.unit(), u -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            if ("positive".equals(r.type())) {
                t[0] = t[0].add(r.value());
            } else {
                t[1] = t[1].add(r.value());
            }
        }
        Api.Response response = api.get("/v1/aggregations?includeRecords=false");
        assertThat(response.status()).isEqualTo(200);
        JsonNode groups = response.json().get("groups");
        assertThat(groups.size()).isEqualTo(want.size());
        for (JsonNode g : groups) {
            Map<String, BigDecimal[]> units = want.get(g.get("destinationId").asString());
            assertThat(g.get("totals").size()).isEqualTo(units.size());
            for (JsonNode t : g.get("totals")) {
                BigDecimal[] w = units.get(t.get("unit").asString());
                assertThat(t.get("positive").decimalValue()).isEqualByComparingTo(w[0]);
                assertThat(t.get("negative").decimalValue()).isEqualByComparingTo(w[1]);
                assertThat(t.get("net").decimalValue()).isEqualByComparingTo(w[0].subtract(w[1]));
            }
        }
    }
}
