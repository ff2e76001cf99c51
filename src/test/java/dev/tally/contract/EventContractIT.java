package dev.tally.contract;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.EventSchemas;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The messages the running service really sends, read as a downstream consumer reads them (a
 * plain KafkaConsumer, {@code read_committed}) and over HTTP from the feeds, validated against
 * docs/schemas: notifications, alerts, dead letters (invalid, conflict, forbidden-source; the
 * processing-failed kind in {@code KafkaFatalErrorIT}), relay positions, and the records sent in.
 * Real broker, real PostgreSQL. The schemas and the contract's claims (exact decimals in plain
 * notation, the feed serving Kafka's bytes, the keys) are checked on every message, and a real
 * message changed in one field is rejected.
 */
class EventContractIT {

    private static final String RECORDS = "records";
    private static final String PAYMENTS = "payments";
    private static final String DLQ = "records.dlq";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("contract");
        kafka.createTopics(3, RECORDS, PAYMENTS, DLQ, "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", RECORDS + "," + PAYMENTS);
        p.put("tally.kafka.topics.sources." + PAYMENTS, "payments-svc");
        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    /** A bad input message and the reason Tally must give for it. */
    private record Bad(ProducerRecord<String, String> message, String reason) {}

    @Test
    void everyPublishedMessageAndEveryFeedPageMatchesItsSchema() {
        // Valid records: generated ones, and some at the edges of what the messages must carry.
        List<Rec> valid = new ArrayList<>(Model.generate(80, "c-", 77));
        Instant t = Instant.parse("2026-03-05T10:00:00.123456Z");
        valid.add(rec("edge-38")
                .time(t)
                .dest("acct-edge")
                .type("positive")
                .value(new BigDecimal("12345678901234567890.123456789012345678"))
                .unit("SEK")
                .ref("big"));
        valid.add(rec("edge-tiny")
                .time(t.plusMillis(1))
                .dest("acct-edge")
                .type("negative")
                .value(new BigDecimal("0.000000000000000001"))
                .unit("SEK")
                .ref("big"));
        valid.add(rec("edge-unit")
                .time(t.plusMillis(2))
                .dest("acct-edge")
                .type("positive")
                .value(new BigDecimal("5.50"))
                .unit("µg/L")
                .ref("big"));
        valid.add(rec("edge-zero")
                .time(t.plusMillis(3))
                .dest("acct-edge")
                .type("positive")
                .value(new BigDecimal("0"))
                .unit("EUR")
                .ref("big"));
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            Rec r = valid.get(i);
            boolean edge = r.recordId().startsWith("edge-");
            // The "other spelling" (a JSON number with one more zero, a +02:00 time) for a third of
            // the generated ones. One key for the edge records: one partition, processed in this order.
            input.add(new ProducerRecord<>(
                    RECORDS, edge ? "edge" : r.recordId(), !edge && i % 3 == 0 ? r.otherSpelling() : r.json()));
        }
        Rec paid = rec("pay-1")
                .time(t)
                .dest("acct-pay")
                .type("positive")
                .value(new BigDecimal("70000"))
                .unit("EUR")
                .ref("p");
        valid.add(paid);
        input.add(new ProducerRecord<>(
                PAYMENTS, paid.recordId(), paid.json().replace("\"billing\"", "\"payments-svc\"")));

        List<Bad> bad = List.of(
                new Bad(new ProducerRecord<>(RECORDS, "k", "not json"), "invalid"),
                new Bad(new ProducerRecord<>(RECORDS, "k", "[1]"), "invalid"),
                new Bad(
                        new ProducerRecord<>(
                                RECORDS,
                                "bad-v",
                                valid.get(0)
                                        .json()
                                        .replace(valid.get(0).recordId(), "bad-v")
                                        .replaceFirst("\"value\":\"[^\"]*\"", "\"value\":\"-5\"")),
                        "invalid"),
                new Bad(
                        new ProducerRecord<>(
                                RECORDS,
                                "bad-t",
                                valid.get(1)
                                        .json()
                                        .replace(valid.get(1).recordId(), "bad-t")
                                        .replaceFirst("Z\"", "\"")),
                        "invalid"),
                // The same recordId and key on the same topic after the original: a conflict.
                new Bad(
                        new ProducerRecord<>(
                                RECORDS,
                                valid.get(2).recordId(),
                                valid.get(2)
                                        .value(valid.get(2).value().add(BigDecimal.ONE))
                                        .json()),
                        "conflict"),
                // billing may not write to payments.
                new Bad(
                        new ProducerRecord<>(
                                PAYMENTS,
                                "pay-2",
                                Model.generate(1, "pay-2-", 5).get(0).json()),
                        "forbidden-source"));
        int firstBad = input.size();
        for (Bad b : bad) {
            input.add(b.message());
        }

        // What is sent in is what record.schema.json describes; the bad ones that break a rule are
        // refused by the schema too.
        for (int i = 0; i < firstBad; i++) {
            assertThat(EventSchemas.errors("record.schema.json", input.get(i).value()))
                    .as(input.get(i).value())
                    .isEmpty();
        }
        for (int i = 2; i < 4; i++) {
            assertThat(EventSchemas.errors(
                            "record.schema.json", bad.get(i).message().value()))
                    .isNotEmpty();
        }

        List<RecordMetadata> acks = kafka.produce(input);

        Map<String, Rec> byId = Model.byId(valid);
        List<ConsumerRecord<String, String>> notifications =
                kafka.readCommitted("notifications", valid.size(), TIMEOUT, Duration.ofSeconds(1));
        Model.checkExactlyOnce(notifications, byId, "record.processed");
        Map<String, Rec> alerting = Model.alerting(valid);
        assertThat(alerting).containsKeys("edge-38", "pay-1").doesNotContainKeys("edge-unit", "edge-zero");
        List<ConsumerRecord<String, String>> alerts =
                kafka.readCommitted("alerts", alerting.size(), TIMEOUT, Duration.ofSeconds(1));
        Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");

        checkPublished(notifications, "notification");
        checkPublished(alerts, "alert");
        JsonNode edge = Api.JSON.readTree(notifications.stream()
                .filter(r -> Model.header(r, "messageId").equals("edge-tiny"))
                .findFirst()
                .orElseThrow()
                .value());
        // Exact decimals, scale kept, plain notation: the schemas say "number", the values say the rest.
        assertThat(edge.at("/record/value").decimalValue()).isEqualTo(new BigDecimal("0.000000000000000001"));
        assertThat(edge.at("/summary/previous/totals/0/positive").decimalValue())
                .isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));

        // The feeds serve the same messages, byte for byte, in pages that match the page schemas.
        Api api = new Api(Instances.port(app));
        checkFeed(api, "/v1/notifications", "notification-feed.schema.json", notifications);
        checkFeed(api, "/v1/alerts", "alert-feed.schema.json", alerts);

        // Dead letters: one per bad message, headers as the schema says, binary where Spring Kafka's are.
        List<ConsumerRecord<String, String>> letters =
                kafka.readCommitted(DLQ, bad.size(), TIMEOUT, Duration.ofSeconds(1));
        assertThat(letters).hasSize(bad.size());
        Map<String, ConsumerRecord<String, String>> letterFrom = new HashMap<>();
        for (ConsumerRecord<String, String> letter : letters) {
            ObjectNode headers = EventSchemas.headersJson("dead-letter-headers.schema.json", letter.headers());
            assertThat(EventSchemas.errors("dead-letter-headers.schema.json", headers))
                    .as(headers.toString())
                    .isEmpty();
            assertThat(EventSchemas.errors(
                            "dead-letter-errors.schema.json",
                            headers.get("tally-dlq-errors").asString()))
                    .isEmpty();
            String from = Model.header(letter, "tally-dlq-original-topic") + "/"
                    + Model.header(letter, "tally-dlq-original-partition") + "/"
                    + Model.header(letter, "tally-dlq-original-offset");
            assertThat(letterFrom.put(from, letter))
                    .as("one letter per message")
                    .isNull();
        }
        for (int k = 0; k < bad.size(); k++) {
            RecordMetadata where = acks.get(firstBad + k);
            ConsumerRecord<String, String> letter =
                    letterFrom.get(where.topic() + "/" + where.partition() + "/" + where.offset());
            assertThat(letter)
                    .as("the letter of %s", bad.get(k).message().value())
                    .isNotNull();
            assertThat(letter.key()).isEqualTo(bad.get(k).message().key());
            assertThat(letter.value()).isEqualTo(bad.get(k).message().value());
            assertThat(Model.header(letter, "tally-dlq-reason"))
                    .isEqualTo(bad.get(k).reason());
            assertThat(Model.header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(where.topic());
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_PARTITION))
                    .isEqualTo(ByteBuffer.allocate(4).putInt(where.partition()).array());
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET))
                    .isEqualTo(ByteBuffer.allocate(8).putLong(where.offset()).array());
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP))
                    .isEqualTo(ByteBuffer.allocate(8).putLong(where.timestamp()).array());
            assertThat(Model.header(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE))
                    .isEqualTo("CreateTime");
            assertThat(Model.header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                    .startsWith(bad.get(k).reason() + ": ");
        }

        // The relay's positions: each feed's last one names its last message.
        List<ConsumerRecord<String, String>> positions =
                kafka.readCommitted("tally.relay.positions", 2, TIMEOUT, Duration.ofSeconds(1));
        Map<String, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<String, String> p : positions) {
            assertThat(EventSchemas.errors("relay-position.schema.json", p.value()))
                    .as(p.value())
                    .isEmpty();
            assertThat(p.key()).matches("[0-9a-f-]{36}/(notifications|alerts)");
            last.put(p.key().substring(37), Api.JSON.readTree(p.value()));
        }
        assertThat(last.get("notifications").get("seq").asLong()).isEqualTo(valid.size());
        assertThat(last.get("alerts").get("seq").asLong()).isEqualTo(alerting.size());

        // And the schemas can fail on real messages: each changed in one thing is rejected.
        JsonNode real = Api.JSON.readTree(notifications.get(0).value());
        assertThat(EventSchemas.errors("alert.schema.json", real)).isNotEmpty();
        ObjectNode stringValue = (ObjectNode) real.deepCopy();
        ((ObjectNode) stringValue.get("record"))
                .put("value", stringValue.at("/record/value").asString());
        assertThat(EventSchemas.errors("notification.schema.json", stringValue)).isNotEmpty();
        ObjectNode letterHeaders = EventSchemas.headersJson(
                "dead-letter-headers.schema.json", letters.get(0).headers());
        letterHeaders.put(KafkaHeaders.DLT_ORIGINAL_PARTITION, "AAAAAAAAAAA="); // 8 bytes for an int
        assertThat(EventSchemas.errors("dead-letter-headers.schema.json", letterHeaders))
                .isNotEmpty();
    }

    /** Payload, headers and key of every message on a published topic, against the schemas. */
    private static void checkPublished(List<ConsumerRecord<String, String>> topic, String kind) {
        assertThat(topic).isNotEmpty();
        for (ConsumerRecord<String, String> r : topic) {
            assertThat(EventSchemas.errors(kind + ".schema.json", r.value()))
                    .as(r.value())
                    .isEmpty();
            assertThat(EventSchemas.numbersNotPlain(r.value())).as(r.value()).isEmpty();
            ObjectNode headers = EventSchemas.headersJson(kind + "-headers.schema.json", r.headers());
            assertThat(EventSchemas.errors(kind + "-headers.schema.json", headers))
                    .as(headers.toString())
                    .isEmpty();
            JsonNode payload = Api.JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo(payload.at("/record/destinationId").asString());
            assertThat(headers.get("messageId").asString())
                    .isEqualTo(payload.get("messageId").asString());
            assertThat(headers.get("seq").asString())
                    .isEqualTo(payload.get("seq").asString());
            if (headers.has("ce_id")) { // CloudEvents attributes, where present, say the same as the payload
                assertThat(headers.get("ce_id").asString())
                        .isEqualTo(payload.get("messageId").asString());
                assertThat(headers.get("ce_subject").asString()).isEqualTo(r.key());
            }
        }
    }

    /**
     * Pages through a feed with a small limit: every page (the last, empty one too) matches the page
     * schema, and the messages are Kafka's, in seq order, each one's JSON text verbatim in the page.
     */
    private static void checkFeed(
            Api api, String path, String pageSchema, List<ConsumerRecord<String, String>> published) {
        Map<Long, String> bySeq = new HashMap<>();
        for (ConsumerRecord<String, String> r : published) {
            bySeq.put(Api.JSON.readTree(r.value()).get("seq").asLong(), r.value());
        }
        long after = 0;
        int pages = 0;
        while (true) {
            Api.Response page = api.get(path + "?after=" + after + "&limit=7");
            assertThat(page.status()).isEqualTo(200);
            assertThat(EventSchemas.errors(pageSchema, page.json()))
                    .as(page.body())
                    .isEmpty();
            assertThat(EventSchemas.numbersNotPlain(page.body())).isEmpty();
            JsonNode messages = page.json().get("messages");
            pages++;
            if (messages.isEmpty()) {
                assertThat(page.json().get("next").asLong()).isEqualTo(after);
                break;
            }
            for (JsonNode m : messages) {
                long seq = m.get("seq").asLong();
                assertThat(seq).isEqualTo(++after);
                assertThat(page.body()).contains(bySeq.get(seq));
            }
            assertThat(page.json().get("next").asLong()).isEqualTo(after);
        }
        assertThat(after).isEqualTo(published.size());
        assertThat(pages).isGreaterThan(2);
    }

    private static byte[] raw(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertThat(h).as("header %s", name).isNotNull();
        return h.value();
    }
}
