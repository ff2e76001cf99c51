package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.support.Api;
import dev.tally.support.EventSchemas;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.Rec;
import dev.tally.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.node.ObjectNode;

/**
 * A valid record that the database refuses every time (a CHECK constraint this test adds to the
 * real {@code records} table) must not stall its partition: the listener finds it by retrying the
 * batch in halves, dead-letters it ({@code processing-failed}, with the exception), and the good
 * records of the same poll are processed exactly once. A transient failure (the network to
 * PostgreSQL cut) is still retried with back-off and dead-letters nothing. Over HTTP the same
 * refusal is a 500: one classifier for both inputs.
 *
 * <p>Before the fix the first test timed out: the batch was re-delivered without end and nothing
 * of it, nor anything after it on the partition, was ever stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaFatalErrorIT {

    private static final String TOPIC = "records";
    private static final String DLQ = "records.dlq";
    /** Refused by the database (the test's constraint below), valid by every rule of SPEC §2. */
    private static final String POISON = "poison-";

    private static final String CONSTRAINT = "kfatal_test_poison";
    private static final Duration BOUND = Duration.ofSeconds(90);

    private static KafkaCluster kafka;
    private static TcpProxy proxy;
    private static ConfigurableApplicationContext app;
    /** Input of the first test, produced before the instance starts, so that its first poll holds all of it. */
    private static final List<ProducerRecord<String, String>> firstPoll = new ArrayList<>();

    private static List<RecordMetadata> firstPollAcks;
    private static final List<Rec> good = Model.generate(300, "g-", 7);

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaCluster.start("fatal");
        // One partition: "later messages on the same partition keep flowing" is then about all of them.
        kafka.createTopics(1, TOPIC, DLQ, "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        proxy = new TcpProxy(PostgresTestDatabase.HOST, Integer.parseInt(PostgresTestDatabase.PORT));
        p.put(
                "spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + PostgresTestDatabase.DATABASE
                        + "?connectTimeout=2&socketTimeout=10");
        p.put("spring.datasource.hikari.connection-timeout", "1000");
        p.put("spring.datasource.hikari.validation-timeout", "500");
        p.put("tally.kafka.consumer.retry-max", "1s");
        p.put("tally.kafka.consumer.concurrency", "1");

        // Records 0..299 with two poison records among them: at 100 and at 250.
        for (int i = 0; i < good.size(); i++) {
            if (i == 100 || i == 250) {
                Rec bad = Model.generate(1, POISON + i + "-", 8).get(0);
                firstPoll.add(new ProducerRecord<>(TOPIC, bad.recordId(), bad.json()));
            }
            firstPoll.add(new ProducerRecord<>(
                    TOPIC, good.get(i).recordId(), good.get(i).json()));
        }
        firstPollAcks = kafka.produce(firstPoll);

        // The schema must exist before the constraint: a first instance migrates it. The listener
        // must not run before the constraint is there, so the input waits in Kafka meanwhile:
        // migrate by starting and closing an instance without Kafka.
        Map<String, Object> migrate = new HashMap<>(p);
        migrate.remove("spring.kafka.bootstrap-servers");
        Instances.start(migrate).close();
        JdbcTemplate db = Instances.postgres();
        db.execute("ALTER TABLE records DROP CONSTRAINT IF EXISTS " + CONSTRAINT);
        db.execute(
                "ALTER TABLE records ADD CONSTRAINT " + CONSTRAINT + " CHECK (record_id NOT LIKE '" + POISON + "%')");

        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            Instances.closeAll(app, kafka, proxy);
        } finally {
            Instances.postgres().execute("ALTER TABLE records DROP CONSTRAINT IF EXISTS " + CONSTRAINT);
        }
    }

    @Test
    @Order(1)
    void aRecordTheDatabaseRefusesIsIsolatedAndDeadLetteredAndTheRestIsProcessedOnce() {
        JdbcTemplate db = Instances.postgres();
        MeterRegistry meters = app.getBean(MeterRegistry.class);

        await().atMost(BOUND)
                .untilAsserted(() -> assertThat(db.queryForObject(
                                "SELECT COUNT(*) FROM records WHERE record_id LIKE 'g-%'", Long.class))
                        .isEqualTo(good.size()));
        assertThat(db.queryForObject("SELECT COUNT(*) FROM records WHERE record_id LIKE 'poison-%'", Long.class))
                .isZero();
        // One notification per good record, none for the refused ones: nothing lost, nothing doubled.
        assertThat(db.queryForObject("SELECT COUNT(*) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .isEqualTo(good.size());
        assertThat(db.queryForObject(
                        "SELECT COUNT(DISTINCT seq) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .isEqualTo(good.size());
        assertThat(db.queryForObject("SELECT MAX(seq) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .isEqualTo(good.size());
        assertThat(meters.get("tally.records.processed")
                        .tag("outcome", "accepted")
                        .tag("channel", "kafka")
                        .counter()
                        .count())
                .isEqualTo(good.size());
        assertThat(meters.get("tally.records.processed")
                        .tag("outcome", "duplicate")
                        .tag("channel", "kafka")
                        .counter()
                        .count())
                .as("no half was committed twice")
                .isZero();

        List<ConsumerRecord<String, String>> letters = kafka.readCommitted(DLQ, 2, BOUND, Duration.ofSeconds(1));
        assertThat(letters).hasSize(2);
        for (int k = 0; k < 2; k++) {
            int index = k == 0 ? 100 : 251; // positions of the poison records in the input
            ProducerRecord<String, String> sent = firstPoll.get(index);
            RecordMetadata where = firstPollAcks.get(index);
            ConsumerRecord<String, String> letter = letters.get(k);
            assertThat(letter.key()).isEqualTo(sent.key());
            assertThat(letter.value()).isEqualTo(sent.value());
            assertThat(header(letter, DeadLetters.REASON)).isEqualTo("processing-failed");
            assertThat(header(letter, DeadLetters.RECORD_ID)).isEqualTo(sent.key());
            assertThat(header(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(TOPIC);
            assertThat(header(letter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(where.partition()));
            assertThat(header(letter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo(Long.toString(where.offset()));
            assertThat(header(letter, DeadLetters.EXCEPTION))
                    .isEqualTo("org.springframework.dao.DataIntegrityViolationException");
            assertThat(header(letter, DeadLetters.EXCEPTION_CAUSE)).isEqualTo("org.postgresql.util.PSQLException");
            assertThat(header(letter, DeadLetters.SQL_STATE)).isEqualTo("23514");
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).contains(CONSTRAINT);
            // Spring Kafka's standard headers, in DeadLetterPublishingRecoverer's binary encodings.
            assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(TOPIC);
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_PARTITION))
                    .isEqualTo(ByteBuffer.allocate(Integer.BYTES)
                            .putInt(where.partition())
                            .array());
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET))
                    .isEqualTo(ByteBuffer.allocate(Long.BYTES)
                            .putLong(where.offset())
                            .array());
            assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP))
                    .isEqualTo(ByteBuffer.allocate(Long.BYTES)
                            .putLong(where.timestamp())
                            .array());
            assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
            assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_FQCN))
                    .isEqualTo("org.springframework.dao.DataIntegrityViolationException");
            assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN))
                    .isEqualTo("org.postgresql.util.PSQLException");
            assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains(CONSTRAINT);
            assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                    .startsWith("org.springframework.dao.DataIntegrityViolationException")
                    .contains("Caused by: org.postgresql.util.PSQLException");
            // ... and the whole set as docs/schemas/dead-letter-headers.schema.json says.
            ObjectNode headers = EventSchemas.headersJson("dead-letter-headers.schema.json", letter.headers());
            assertThat(EventSchemas.errors("dead-letter-headers.schema.json", headers))
                    .as(headers.toString())
                    .isEmpty();
        }
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "processing-failed")
                        .counter()
                        .count())
                .isEqualTo(2);

        // The offsets move past the batch, and the partition keeps flowing.
        awaitCommitted(firstPoll.size());
        List<Rec> later = Model.generate(100, "h-", 9);
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (Rec r : later) {
            input.add(new ProducerRecord<>(TOPIC, r.recordId(), r.json()));
        }
        kafka.produce(input);
        await().atMost(BOUND)
                .untilAsserted(() -> assertThat(db.queryForObject(
                                "SELECT COUNT(*) FROM records WHERE record_id LIKE 'h-%'", Long.class))
                        .isEqualTo(later.size()));
        awaitCommitted(firstPoll.size() + later.size());
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "processing-failed")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    /**
     * The network to PostgreSQL is cut while records arrive: the failures are connection failures,
     * retryable, so the batch is re-delivered with back-off, nothing is dead-lettered, and once the
     * network is back every record is stored once.
     */
    @Test
    @Order(2)
    void aLostDatabaseIsRetriedNotDeadLettered() throws Exception {
        JdbcTemplate db = Instances.postgres();
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        double receivedBefore =
                meters.get("tally.kafka.records.received").counter().count();
        double failedBefore = meters.get("tally.kafka.dead.letters")
                .tag("reason", "processing-failed")
                .counter()
                .count();
        List<Rec> records = Model.generate(200, "t-", 10);
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (Rec r : records) {
            input.add(new ProducerRecord<>(TOPIC, r.recordId(), r.json()));
        }

        proxy.cut();
        try {
            kafka.produce(input);
            // Re-deliveries happen (each attempt fails within the pool's 1 s connection timeout).
            await().atMost(BOUND)
                    .untilAsserted(() -> assertThat(meters.get("tally.kafka.records.received")
                                    .counter()
                                    .count())
                            .isGreaterThan(receivedBefore + 400));
            assertThat(db.queryForObject("SELECT COUNT(*) FROM records WHERE record_id LIKE 't-%'", Long.class))
                    .isZero();
        } finally {
            proxy.restore();
        }
        await().atMost(BOUND)
                .untilAsserted(() -> assertThat(db.queryForObject(
                                "SELECT COUNT(*) FROM records WHERE record_id LIKE 't-%'", Long.class))
                        .isEqualTo(records.size()));
        assertThat(db.queryForObject(
                        "SELECT COUNT(DISTINCT seq) FROM records WHERE summary_previous IS NOT NULL "
                                + "AND record_id LIKE 't-%'",
                        Long.class))
                .isEqualTo(records.size());
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "processing-failed")
                        .counter()
                        .count())
                .isEqualTo(failedBefore);
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "invalid")
                        .counter()
                        .count())
                .isZero();
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "conflict")
                        .counter()
                        .count())
                .isZero();
        assertThat(kafka.readCommitted(DLQ, 2, BOUND, Duration.ofSeconds(1)))
                .as("no new dead letter")
                .hasSize(2);
    }

    /**
     * HTTP acts on the same classification: the record the database refuses is a fatal failure,
     * a logged 500 problem without Retry-After (retrying cannot help), and nothing is stored.
     */
    @Test
    @Order(3)
    void overHttpTheSameRefusalIsA500() {
        Api api = new Api(Instances.port(app));
        Api.Response refused = api.postJson(
                "/v1/records", Model.generate(1, POISON + "http-", 11).get(0).json());
        assertThat(refused.status()).as(refused.body()).isEqualTo(500);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.retryAfter()).isNull();
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:tally:problem:internal-error");
        assertThat(Instances.postgres()
                        .queryForObject("SELECT COUNT(*) FROM records WHERE record_id LIKE 'poison-%'", Long.class))
                .isZero();
    }

    private static void awaitCommitted(long offset) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            await().atMost(BOUND).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("tally")
                        .partitionsToOffsetAndMetadata()
                        .get();
                OffsetAndMetadata position = committed.get(new TopicPartition(TOPIC, 0));
                assertThat(position).isNotNull();
                assertThat(position.offset()).isEqualTo(offset);
            });
        }
    }

    private static byte[] raw(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        assertThat(h).as("header %s", name).isNotNull();
        return h.value();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        assertThat(h).as("header %s", name).isNotNull();
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
