package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Per-topic allowed sources ({@code tally.kafka.topics.sources.<topic>}) with a real broker and
 * PostgreSQL: a record whose sourceId its topic may not carry is dead-lettered with reason
 * {@code forbidden-source}, is not stored, and does not hold up the other records of its poll.
 */
class KafkaSourceBindingIT {

    private static final String BILLING_ONLY = "src.billing";
    private static final String ANY = "src-any";
    private static final String UNLISTED = "src-unlisted";

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("sources");
        kafka.createTopics(3, BILLING_ONLY, ANY, UNLISTED, "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", BILLING_ONLY + "," + ANY + "," + UNLISTED);
        p.put("tally.kafka.topics.sources.[" + BILLING_ONLY + "]", "billing,refunds");
        p.put("tally.kafka.topics.sources." + ANY, "*");
        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    @Test
    void aRecordOfASourceItsTopicMayNotCarryIsDeadLetteredAndNotStored() {
        Rec forbidden = Rec.rec("k-2").source("payments");
        List<ProducerRecord<String, String>> input = List.of(
                new ProducerRecord<>(BILLING_ONLY, "k-1", Rec.rec("k-1").json()),
                new ProducerRecord<>(BILLING_ONLY, "k-2", forbidden.json()),
                new ProducerRecord<>(
                        BILLING_ONLY, "k-3", Rec.rec("k-3").source("refunds").json()),
                // the same record on a topic that may carry it: accepted, the refused copy left no trace
                new ProducerRecord<>(ANY, "k-2", forbidden.json()),
                new ProducerRecord<>(
                        UNLISTED, "k-4", Rec.rec("k-4").source("anything").json()));
        List<RecordMetadata> acks = kafka.produce(input);

        List<ConsumerRecord<String, String>> notifications =
                kafka.readCommitted("notifications", 4, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(notifications)
                .extracting(ConsumerRecord::value)
                .hasSize(4)
                .allSatisfy(v -> assertThat(v).contains("record.processed"));
        List<ConsumerRecord<String, String>> dlq =
                kafka.readCommitted("records.dlq", 1, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(dlq).hasSize(1);
        ConsumerRecord<String, String> letter = dlq.get(0);
        assertThat(Model.header(letter, "tally-dlq-reason")).isEqualTo("forbidden-source");
        assertThat(Model.header(letter, "tally-dlq-fields")).isEqualTo("sourceId");
        assertThat(Model.header(letter, "tally-dlq-errors"))
                .contains("payments")
                .contains(BILLING_ONLY);
        assertThat(Model.header(letter, "tally-dlq-record-id")).isEqualTo("k-2");
        assertThat(Model.header(letter, "tally-dlq-original-topic")).isEqualTo(BILLING_ONLY);
        assertThat(Model.header(letter, "tally-dlq-original-partition"))
                .isEqualTo(String.valueOf(acks.get(1).partition()));
        assertThat(Model.header(letter, "tally-dlq-original-offset"))
                .isEqualTo(String.valueOf(acks.get(1).offset()));
        assertThat(letter.value()).isEqualTo(forbidden.json());

        JdbcTemplate db = Instances.postgres();
        assertThat(db.queryForList(
                        "SELECT record_id || '/' || source_id FROM records ORDER BY record_id", String.class))
                .containsExactly("k-1/billing", "k-2/payments", "k-3/refunds", "k-4/anything");
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "forbidden-source")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("tally.kafka.dead.letters")
                        .tag("reason", "conflict")
                        .counter()
                        .count())
                .isZero();
    }
}
