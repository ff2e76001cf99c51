package dev.tally.ingest;

import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances (two application contexts, two HTTP ports) on one PostgreSQL database and one
 * consumer group, fed over Kafka and HTTP at once; then one instance stops and the other takes
 * over its partitions and the publishing. Every record once, every message once, per-destination
 * order, exact summaries, and never two publishers of one feed at the same time by the lock
 * (a publisher whose lock session was killed under it is fenced by Kafka, not trusted).
 */
class KafkaTwoInstancesIT {

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("two");
        kafka.createTopics(3, "in-1", "in-2", "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", "in-1,in-2");
        p.put("tally.kafka.consumer.max-poll-records", "250");
        p.put("tally.kafka.relay.batch-messages", "500");
        a = Instances.start(p);
        b = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(a, b, kafka);
    }

    @Test
    void twoInstancesShareTheWorkAndOneTakesOverWhenTheOtherStops() throws Exception {
        List<Rec> records = Model.generate(10_000, "t-", 5);
        List<Rec> overKafka = records.subList(0, 6_000);
        List<Rec> overHttp = records.subList(6_000, 8_000);
        List<Rec> afterStop = records.subList(8_000, 10_000);

        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (int i = 0; i < overKafka.size(); i++) {
            Rec r = overKafka.get(i);
            input.add(new ProducerRecord<>(i % 2 == 0 ? "in-1" : "in-2", r.recordId(), r.json()));
            if (i % 10 == 0) { // a duplicate on the other topic
                input.add(new ProducerRecord<>(i % 2 == 0 ? "in-2" : "in-1", r.recordId(), r.otherSpelling()));
            }
        }
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> kafka.produce(input));
        // Make the current publishers zombies: their lock connections die under them while they keep
        // running until they notice. The other instance takes the locks and its initTransactions()
        // fences the zombies' producers; the checks below prove nothing was published twice.
        awaitPublishing();
        int terminated = terminateLockSessions();
        assertThat(terminated).as("advisory-lock sessions terminated").isEqualTo(2);
        Thread.sleep(3_000); // > the lock check interval: the zombies stop by themselves
        Api apiA = new Api(Instances.port(a));
        Api apiB = new Api(Instances.port(b));
        for (int from = 0; from < overHttp.size(); from += 250) {
            Api api = (from / 250) % 2 == 0 ? apiA : apiB;
            Api.Response r = api.postJson("/v1/records/batch", Instances.batch(overHttp.subList(from, from + 250)));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("accepted").asInt()).isEqualTo(250);
        }
        producing.get(60, TimeUnit.SECONDS);

        // From here on (the zombies have long noticed their lost locks) the lock must keep publishers
        // of one feed strictly one at a time, through the stop of an instance too.
        MeterRegistry metersA = a.getBean(MeterRegistry.class);
        MeterRegistry metersB = b.getBean(MeterRegistry.class);
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger overlaps = new AtomicInteger();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (watching.get()) {
                for (String feed : List.of("notifications", "alerts")) {
                    if (leader(metersA, feed) + leader(metersB, feed) > 1) {
                        overlaps.incrementAndGet();
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        // Both instances did some of the Kafka work before one of them goes away.
        assertThat(consumed(a)).isPositive();
        assertThat(consumed(b)).isPositive();
        org.slf4j.LoggerFactory.getLogger(KafkaTwoInstancesIT.class)
                .info(
                        "Relay sessions ended by a failure (fenced zombies, lost locks): a={} b={}",
                        failures(a),
                        failures(b));
        a.close();
        List<ProducerRecord<String, String>> later = new ArrayList<>();
        for (Rec r : afterStop) {
            later.add(new ProducerRecord<>(r.recordId().hashCode() % 2 == 0 ? "in-1" : "in-2", r.recordId(), r.json()));
        }
        kafka.produce(later);

        Map<String, Rec> byId = Model.byId(records);
        var notifications =
                kafka.readCommitted("notifications", byId.size(), Duration.ofSeconds(150), Duration.ofSeconds(1));
        Model.checkSummaries(Model.checkExactlyOnce(notifications, byId, "record.processed"), byId);
        Map<String, Rec> alerting = Model.alerting(records);
        var alerts = kafka.readCommitted("alerts", alerting.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");

        watching.set(false);
        watcher.get(5, TimeUnit.SECONDS);
        assertThat(overlaps.get()).as("moments with two publishers of one feed").isZero();
        assertThat(kafka.readCommitted("records.dlq", 0, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isEmpty();
    }

    private static void awaitPublishing() {
        JdbcTemplate db = Instances.postgres();
        await("publishing starts")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> db.queryForObject(
                                "SELECT published_seq FROM relay_position WHERE feed = 'notifications'", Long.class)
                        != 0);
    }

    /** Kills the database sessions holding the relays' advisory locks (the instances live on). */
    private static int terminateLockSessions() {
        return Instances.postgres().queryForObject("""
                SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""", Integer.class);
    }

    private static double failures(ConfigurableApplicationContext app) {
        return app.getBean(MeterRegistry.class).get("tally.kafka.relay.failures").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private static double consumed(ConfigurableApplicationContext app) {
        return app.getBean(MeterRegistry.class)
                .get("tally.kafka.records.received")
                .counter()
                .count();
    }

    /** 1 while {@code meters}' instance publishes {@code feed}; a closed instance reads 0. */
    private static int leader(MeterRegistry meters, String feed) {
        double v =
                meters.get("tally.kafka.relay.leader").tag("feed", feed).gauge().value();
        return Double.isNaN(v) ? 0 : (int) v;
    }
}
