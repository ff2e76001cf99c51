package dev.tally.outbox;

import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The broker dies (SIGKILL) while Tally is publishing and stays away for a while: HTTP ingest
 * keeps accepting, the outbox buffers (and the pruner, with a retention of a few seconds, deletes
 * nothing unpublished), and after the broker is back the relay catches up: every message on the
 * topics exactly once, read read_committed. Then everything published is pruned. An operator sees
 * it on {@code /actuator/prometheus}: the oldest unpublished message's age and the relay's own
 * Kafka client metrics.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KafkaOutageIT {

    /** On /actuator/prometheus, the age of the oldest unpublished outbox message. */
    private static final String AGE = "tally_outbox_oldest_age_seconds";

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("outage");
        kafka.createTopics(3, "records", "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.relay.retry-max", "1s");
        p.put("tally.kafka.relay.batch-messages", "500");
        p.put("tally.outbox.retention", "3s");
        p.put("tally.outbox.prune-interval", "500ms");
        p.put("tally.outbox.prune-batch", "400");
        p.put("tally.processing.commit-timeout", "2s");
        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    /**
     * A test that failed while the broker was down must not leave it down: the next test would
     * wait on Kafka instead of failing, and the instance would be closed against a dead broker.
     */
    @org.junit.jupiter.api.AfterEach
    void brokerUpAgain() {
        if (!kafka.isRunning()) {
            kafka.startBroker();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1) // expects the feeds to start at seq 1
    void httpKeepsAcceptingDuringAnOutageAndTheRelayCatchesUpExactlyOnce() throws Exception {
        Api api = new Api(Instances.port(app));
        JdbcTemplate db = Instances.postgres();
        List<Rec> records = Model.generate(6_000, "o-", 11);

        Instances.postAccepted(api, records.subList(0, 2_000));
        kafka.killBroker();
        Instances.postAccepted(api, records.subList(2_000, 5_000)); // accepted while the broker is down

        Thread.sleep(4_000); // longer than the retention: only what was published may be pruned
        // Alerts are the outbox's rows (a notification is its record, never pruned).
        long published =
                db.queryForObject("SELECT published_seq FROM relay_position WHERE feed = 'alerts'", Long.class);
        long raised = db.queryForObject("SELECT last_alert_seq FROM sequencer", Long.class);
        long kept = db.queryForObject(
                "SELECT COUNT(*) FROM outbox WHERE feed = 'alerts' AND seq > ?", Long.class, published);
        assertThat(published).isLessThan(raised);
        assertThat(kept).as("every unpublished alert is still in the outbox").isEqualTo(raised - published);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM outbox WHERE seq <= ?", Long.class, published))
                .as("the published alerts older than the retention are pruned")
                .isZero();
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        // Refreshed every second from the database, whatever Kafka call the publisher is stuck in.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("tally.kafka.relay.lag")
                                .tag("feed", "notifications")
                                .gauge()
                                .value()
                        > 0);
        // What an operator scrapes: the age of the oldest unpublished message grows while the broker is down.
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape(api, AGE, "") >= 2);

        kafka.startBroker();
        long restarted = System.nanoTime();
        Instances.postAccepted(api, records.subList(5_000, 6_000));

        Map<String, Rec> byId = Model.byId(records);
        var notifications =
                kafka.readCommitted("notifications", byId.size(), Duration.ofSeconds(120), Duration.ofSeconds(1));
        org.slf4j.LoggerFactory.getLogger(KafkaOutageIT.class)
                .info(
                        "Broker back: all {} notifications readable {} ms later (1 s settle included)",
                        byId.size(),
                        (System.nanoTime() - restarted) / 1_000_000);
        Model.checkSummaries(Model.checkExactlyOnce(notifications, byId, "record.processed"), byId);
        Map<String, Rec> alerting = Model.alerting(records);
        var alerts = kafka.readCommitted("alerts", alerting.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("tally.kafka.relay.lag")
                                .tag("feed", "notifications")
                                .gauge()
                                .value()
                        == 0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> db.queryForObject("SELECT COUNT(*) FROM outbox", Long.class) == 0);
        // ...is 0 again once the relay caught up, and the relay's producer reports Kafka's own client
        // metrics, tagged with its client.id, counting at least the sends after the broker came back.
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape(api, AGE, "") == 0);
        assertThat(scrape(api, "kafka_producer_record_send_total", "client_id=\"tally-relay-notifications\""))
                .isGreaterThanOrEqualTo(1_000);
    }

    /**
     * The database stalls (a test transaction holds the sequencer row, so no write can commit) while
     * records arrive on Kafka: the listener's commits time out, the batch is retried with back-off,
     * nothing is dead-lettered, and once the database moves again every record is accepted once.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aStalledDatabaseIsRetriedNotDeadLettered() throws Exception {
        JdbcTemplate db = Instances.postgres();
        long before = db.queryForObject("SELECT COUNT(*) FROM records", Long.class);
        List<Rec> records = Model.generate(500, "s-", 13);
        List<org.apache.kafka.clients.producer.ProducerRecord<String, String>> input = new java.util.ArrayList<>();
        for (Rec r : records) {
            input.add(new org.apache.kafka.clients.producer.ProducerRecord<>("records", r.recordId(), r.json()));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                dev.tally.support.PostgresTestDatabase.url(),
                dev.tally.support.PostgresTestDatabase.USER,
                dev.tally.support.PostgresTestDatabase.PASSWORD)) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("SELECT * FROM sequencer WHERE id = 1 FOR UPDATE");
            }
            kafka.produce(input);
            Thread.sleep(6_000); // three commit timeouts: the batch is re-delivered while the row is held
            assertThat(db.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                    .isEqualTo(before);
            c.rollback();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> db.queryForObject("SELECT COUNT(*) FROM records WHERE record_id LIKE 's-%'", Long.class)
                        == 500);
        MeterRegistry meters = app.getBean(MeterRegistry.class);
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
        assertThat(meters.get("tally.kafka.records.received").counter().count())
                .as("re-deliveries happened")
                .isGreaterThan(500);
    }

    /** The value of the first sample of {@code metric} whose labels contain {@code label}; -1 if none. */
    private static double scrape(Api api, String metric, String label) {
        Api.Response r = api.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        for (String line : r.body().split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
