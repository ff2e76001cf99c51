package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.Rec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one PostgreSQL database and one consumer group get every recordId twice at the
 * same moment, each copy with another destinationId: one copy over HTTP to instance A, the other
 * over HTTP to instance B (even ids) or over Kafka, consumed by either (odd ids). Whichever commits
 * first is the record; the other copy is a {@code conflict} naming {@code destinationId} (a 409
 * item outcome over HTTP, a dead letter with reason {@code conflict} over Kafka), never a second
 * record. Issue 11 splits the writers by destination: this is the guard that a recordId stays
 * unique across them.
 */
class TwoInstancesConflictIT {

    private static final int N = 2_000;
    private static final int BATCH = 100;

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("conflict");
        kafka.createTopics(3, "records", "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.consumer.max-poll-records", String.valueOf(BATCH));
        a = Instances.start(p);
        b = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(a, b, kafka);
    }

    @Test
    void aRecordIdSentTwiceWithTwoDestinationsAtOnceIsStoredOnceAndTheOtherCopyIsAConflict() throws Exception {
        List<Rec> first = Model.generate(N, "x-", 17);
        List<Rec> second = new ArrayList<>(N);
        for (Rec r : first) {
            second.add(r.dest(r.destinationId() + "-other"));
        }
        Map<String, String> outcomeOfFirst = new ConcurrentHashMap<>();
        Map<String, String> outcomeOfSecond = new ConcurrentHashMap<>();

        List<ProducerRecord<String, String>> overKafka = new ArrayList<>();
        List<Rec> overB = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            if (i % 2 == 0) {
                overB.add(second.get(i));
            } else {
                overKafka.add(new ProducerRecord<>(
                        "records", second.get(i).destinationId(), second.get(i).json()));
            }
        }
        CompletableFuture<Void> kafkaCopies = CompletableFuture.runAsync(() -> kafka.produce(overKafka));
        CompletableFuture<Void> copiesToB =
                CompletableFuture.runAsync(() -> post(new Api(Instances.port(b)), overB, outcomeOfSecond));
        post(new Api(Instances.port(a)), first, outcomeOfFirst);
        copiesToB.get(120, TimeUnit.SECONDS);
        kafkaCopies.get(120, TimeUnit.SECONDS);

        // Every id is stored once: the notifications (read by a downstream consumer) are one per id.
        List<ConsumerRecord<String, String>> topic =
                kafka.readCommitted("notifications", N, Duration.ofSeconds(120), Duration.ofSeconds(1));
        JdbcTemplate db = Instances.postgres();
        Map<String, String> storedDestination = new HashMap<>();
        db.query("SELECT record_id, destination_id FROM records", rs -> {
            assertThat(storedDestination.put(rs.getString(1), rs.getString(2)))
                    .as("one row per recordId")
                    .isNull();
        });
        assertThat(storedDestination).hasSize(N);

        Map<String, Rec> winners = new HashMap<>();
        int wonByFirst = 0;
        int wonBySecond = 0;
        List<String> lettered = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Rec one = first.get(i);
            Rec two = second.get(i);
            String stored = storedDestination.get(one.recordId());
            assertThat(stored)
                    .as("destination stored for %s", one.recordId())
                    .isIn(one.destinationId(), two.destinationId());
            boolean firstWon = stored.equals(one.destinationId());
            winners.put(one.recordId(), firstWon ? one : two);
            if (firstWon) {
                wonByFirst++;
            } else {
                wonBySecond++;
            }
            assertThat(outcomeOfFirst.get(one.recordId()))
                    .as("HTTP outcome of the first copy of %s", one.recordId())
                    .isEqualTo(firstWon ? "accepted" : "conflict");
            if (i % 2 == 0) {
                assertThat(outcomeOfSecond.get(two.recordId()))
                        .as("HTTP outcome of the second copy of %s", two.recordId())
                        .isEqualTo(firstWon ? "conflict" : "accepted");
            } else if (firstWon) {
                lettered.add(two.recordId());
            }
        }
        Model.checkSummaries(Model.checkExactlyOnce(topic, winners, "record.processed"), winners);
        for (ConsumerRecord<String, String> n : topic) {
            JsonNode m = Api.JSON.readTree(n.value());
            assertThat(m.get("record").get("destinationId").asString())
                    .isEqualTo(winners.get(m.get("messageId").asString()).destinationId());
        }

        // The Kafka copies that lost are dead letters, reason conflict, each once.
        List<ConsumerRecord<String, String>> dlq =
                kafka.readCommitted("records.dlq", lettered.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        List<String> dead = new ArrayList<>();
        for (ConsumerRecord<String, String> r : dlq) {
            assertThat(Model.header(r, "tally-dlq-reason")).isEqualTo("conflict");
            dead.add(Api.JSON.readTree(r.value()).get("recordId").asString());
        }
        assertThat(dead).containsExactlyInAnyOrderElementsOf(lettered);
        org.slf4j.LoggerFactory.getLogger(TwoInstancesConflictIT.class)
                .info(
                        "{} recordIds sent twice at once: first copy (HTTP to A) won {}, second (HTTP to B or Kafka)"
                                + " won {}; {} Kafka copies dead-lettered as conflicts",
                        N,
                        wonByFirst,
                        wonBySecond,
                        dead.size());
    }

    /** Posts {@code records} in batches, noting each item's outcome by recordId; conflicts must name destinationId. */
    private static void post(Api api, List<Rec> records, Map<String, String> outcomes) {
        for (int from = 0; from < records.size(); from += BATCH) {
            List<Rec> part = records.subList(from, Math.min(records.size(), from + BATCH));
            Api.Response r = api.postJson("/v1/records/batch", Instances.batch(part));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            for (JsonNode item : r.json().get("results")) {
                String outcome = item.get("outcome").asString();
                if ("conflict".equals(outcome)) {
                    assertThat(item.toString())
                            .as("a conflict names the differing field")
                            .contains("destinationId");
                }
                outcomes.put(item.get("recordId").asString(), outcome);
            }
        }
    }
}
