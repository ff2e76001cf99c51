package dev.tally.ingest;

import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Tally instance killed with SIGKILL (a separate JVM, {@code Process.destroyForcibly}) in the
 * middle of a batch, then a fresh instance: nothing lost, nothing doubled.
 *
 * <p>The kill lands inside a batch for certain: the dead-letter topic does not exist yet (and the
 * broker does not create topics), so the first batch holding an invalid message commits its valid
 * records to the database and then hangs on the dead-letter send, before its offsets are
 * committed. The arithmetic is then exact: the records the dead instance committed but never
 * acknowledged come back as duplicates, every other record is accepted once, and the invalid
 * messages reach the dead-letter topic once the survivor runs.
 */
class KafkaCrashRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(KafkaCrashRecoveryIT.class);
    private static final int TOTAL = 20_000;

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext survivor;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("crash", false);
        kafka.createTopics(3, "records", "notifications", "alerts");
        Instances.resetPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(survivor, kafka);
    }

    @Test
    void killedMidBatchThenRestartedLosesNothingAndDoublesNothing() throws Exception {
        List<Rec> records = Model.generate(TOTAL, "c-", 7);
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Rec r = records.get(i);
            input.add(new ProducerRecord<>("records", r.recordId(), r.json()));
            if (i % 3_000 == 2_999) {
                input.add(new ProducerRecord<>("records", "poison-" + i, "{not json " + i));
            }
        }
        int poison = input.size() - TOTAL;
        kafka.produce(input);

        Map<String, Object> props = Instances.postgresWithKafka(kafka.bootstrap());
        // Small batches, one consumer: many batches, so the kill lands between two of them or inside one.
        props.put("tally.kafka.consumer.max-poll-records", "100");
        props.put("tally.kafka.consumer.concurrency", "1");
        props.put("tally.kafka.relay.batch-messages", "300");
        props.put("tally.kafka.create-topics", "false");
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        Path appLog = Path.of("target", "kafka-it", "crash-victim.log");
        Process victim = KafkaCluster.java("dev.tally.TallyApplication", appLog, args.toArray(String[]::new));

        JdbcTemplate db = Instances.postgres();
        try { // whatever fails here, no Tally JVM outlives the test
            // Wait until the victim has processed records and then stalled on the dead-letter send:
            // a count of records above 0 that has not moved for 3 s.
            AtomicLong last = new AtomicLong(-1);
            AtomicLong stableSince = new AtomicLong(System.nanoTime());
            await("the victim processes records, then stalls")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        assertThat(victim.isAlive())
                                .as("the victim instance runs; see %s", appLog)
                                .isTrue();
                        // 0 until the victim, when it is the run's first instance, has created the schema.
                        long now = count(db, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'records'") == 0
                                ? 0
                                : count(db, "SELECT COUNT(*) FROM records");
                        if (now != last.getAndSet(now)) {
                            stableSince.set(System.nanoTime());
                            return false;
                        }
                        return now > 0 && System.nanoTime() - stableSince.get() > TimeUnit.SECONDS.toNanos(3);
                    });
        } finally {
            victim.destroyForcibly();
        }
        assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long inDatabase = count(db, "SELECT COUNT(*) FROM records");
        long acknowledged = committedOffsets();
        long publishedBefore = count(db, "SELECT published_seq FROM relay_position WHERE feed = 'notifications'");
        log.info(
                "Killed: {} records committed to the database, {} offsets committed, {} notifications published",
                inDatabase,
                acknowledged,
                publishedBefore);
        assertThat(inDatabase).as("killed in the middle").isLessThan(TOTAL);
        assertThat(acknowledged)
                .as("the batch in flight was committed to the database, not acknowledged")
                .isLessThan(inDatabase);

        kafka.createTopics(3, "records.dlq");
        survivor = Instances.start(Instances.postgresWithKafka(kafka.bootstrap()));
        Map<String, Rec> byId = Model.byId(records);
        var notifications = kafka.readCommitted("notifications", TOTAL, Duration.ofSeconds(150), Duration.ofSeconds(1));
        Model.checkSummaries(Model.checkExactlyOnce(notifications, byId, "record.processed"), byId);
        Map<String, Rec> alerting = Model.alerting(records);
        var alerts = kafka.readCommitted("alerts", alerting.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");

        assertThat(count(db, "SELECT COUNT(*) FROM records")).isEqualTo(TOTAL);
        MeterRegistry meters = survivor.getBean(MeterRegistry.class);
        double accepted = meters.get("tally.records.processed")
                .tag("outcome", "accepted")
                .tag("channel", "kafka")
                .counter()
                .count();
        double duplicates = meters.get("tally.records.processed")
                .tag("outcome", "duplicate")
                .tag("channel", "kafka")
                .counter()
                .count();
        log.info("Restarted: {} accepted, {} redelivered duplicates", accepted, duplicates);
        assertThat(accepted).isEqualTo(TOTAL - inDatabase);
        assertThat(duplicates).isEqualTo(inDatabase - acknowledged);
        var dlq = kafka.readCommitted("records.dlq", poison, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(dlq)
                .extracting(r -> r.value())
                .containsExactlyInAnyOrderElementsOf(input.stream()
                        .filter(r -> r.key().startsWith("poison-"))
                        .map(ProducerRecord::value)
                        .toList());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> committedOffsets() >= TOTAL + poison);
        assertThat(committedOffsets()).isEqualTo(TOTAL + poison);
    }

    private static long count(JdbcTemplate db, String sql) {
        Long n = db.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** The sum of the group's committed offsets on the records topic: the records acknowledged. */
    private static long committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("tally")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (OffsetAndMetadata o : offsets.values()) {
                sum += o == null ? 0 : o.offset();
            }
            return sum;
        }
    }
}
