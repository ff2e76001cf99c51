package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Model.Rec;
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

/**
 * Two instances (two application contexts, two HTTP ports) on one PostgreSQL database and one
 * consumer group, fed over Kafka and HTTP at once; then one instance stops and the other takes
 * over its partitions and the publishing. Every record once, every message once, per-destination
 * order, exact summaries, and never two publishers of one feed at the same time.
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
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoInstancesShareTheWorkAndOneTakesOverWhenTheOtherStops() throws Exception {
        List<Rec> records = Model.generate(10_000, "t-", 5);
        List<Rec> overKafka = records.subList(0, 6_000);
        List<Rec> overHttp = records.subList(6_000, 8_000);
        List<Rec> afterStop = records.subList(8_000, 10_000);

        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger overlaps = new AtomicInteger();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (watching.get()) {
                for (String feed : List.of("notifications", "alerts")) {
                    if (leader(a, feed) + leader(b, feed) > 1) {
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

        List<ProducerRecord<String, String>> input = new ArrayList<>();
        for (int i = 0; i < overKafka.size(); i++) {
            Rec r = overKafka.get(i);
            input.add(new ProducerRecord<>(i % 2 == 0 ? "in-1" : "in-2", r.id(), r.json()));
            if (i % 10 == 0) { // a duplicate on the other topic
                input.add(new ProducerRecord<>(i % 2 == 0 ? "in-2" : "in-1", r.id(), r.otherSpelling()));
            }
        }
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> kafka.produce(input));
        Api apiA = new Api(Instances.port(a));
        Api apiB = new Api(Instances.port(b));
        for (int from = 0; from < overHttp.size(); from += 250) {
            Api api = (from / 250) % 2 == 0 ? apiA : apiB;
            Api.Response r = api.postJson("/v1/records/batch", Instances.batch(overHttp.subList(from, from + 250)));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("accepted").asInt()).isEqualTo(250);
        }
        producing.get(60, TimeUnit.SECONDS);

        // Both instances did some of the Kafka work before one of them goes away.
        assertThat(consumed(a)).isPositive();
        assertThat(consumed(b)).isPositive();
        a.close();
        List<ProducerRecord<String, String>> later = new ArrayList<>();
        for (Rec r : afterStop) {
            later.add(new ProducerRecord<>(r.id().hashCode() % 2 == 0 ? "in-1" : "in-2", r.id(), r.json()));
        }
        kafka.produce(later);

        Map<String, Rec> byId = Model.byId(records);
        var notifications = kafka.readCommitted("notifications", byId.size(), Duration.ofSeconds(150),
                Duration.ofSeconds(3));
        Model.checkSummaries(Model.checkExactlyOnce(notifications, byId, "record.processed"), byId);
        Map<String, Rec> alerting = Model.alerting(records);
        var alerts = kafka.readCommitted("alerts", alerting.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Model.checkExactlyOnce(alerts, alerting, "record.threshold_exceeded");

        watching.set(false);
        watcher.get(5, TimeUnit.SECONDS);
        assertThat(overlaps.get()).as("moments with two publishers of one feed").isZero();
        assertThat(kafka.readCommitted("records.dlq", 0, Duration.ofSeconds(5), Duration.ofSeconds(1))).isEmpty();
    }

    private static double consumed(ConfigurableApplicationContext app) {
        return app.getBean(MeterRegistry.class).get("tally.kafka.records.received").counter().count();
    }

    private static int leader(ConfigurableApplicationContext app, String feed) {
        if (!app.isActive()) {
            return 0;
        }
        return (int) app.getBean(MeterRegistry.class).get("tally.kafka.relay.leader").tag("feed", feed).gauge().value();
    }
}
