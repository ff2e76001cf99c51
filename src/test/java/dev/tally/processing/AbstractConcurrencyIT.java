package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.TallyApplication;
import dev.tally.support.Api;
import dev.tally.support.Feeds;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import dev.tally.support.SummaryModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Many clients at once (SPEC §3, issue #2): {@value #THREADS} threads post overlapping recordIds as
 * single records, JSON-array batches and NDJSON, some with conflicting content. Every id must be
 * accepted exactly once, every duplicate must match and every conflict differ from the accepted
 * content, there must be one notification per accepted record, and the summaries must chain
 * exactly in seq order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractConcurrencyIT extends IntegrationTestSupport {

    static final int THREADS = 10;
    static final int OPERATIONS_PER_THREAD = 40;
    static final int POOL = 160;

    @Autowired
    DataSource dataSource;

    /** What one client sent and the outcome it was told. */
    record Sent(Rec rec, String outcome) {}

    @Test
    final void overlappingClientsAcceptEachIdExactlyOnceAndSummariesChain() throws Exception {
        runClientsAndCheck(List.of(api));
    }

    /**
     * A second instance of the service on the same database, as when scaling out: the sequencer
     * lock must serialise the two instances' write transactions, so the same guarantees hold for
     * clients spread over both.
     */
    @Test
    final void twoInstancesOnOneDatabaseKeepTheSameGuarantees() throws Exception {
        HikariDataSource db = (HikariDataSource) dataSource;
        // command-line arguments, so that they win over application.properties
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(TallyApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + db.getJdbcUrl(),
                        "--spring.datasource.username=" + db.getUsername(),
                        "--spring.datasource.password=" + (db.getPassword() == null ? "" : db.getPassword()))) {
            assertThat(second.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(db.getJdbcUrl());
            int secondPort =
                    ((WebServerApplicationContext) second).getWebServer().getPort();
            runClientsAndCheck(List.of(api, new Api(secondPort)));
        }
    }

    private void runClientsAndCheck(List<Api> instances) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Sent>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(clients.submit(() -> {
                start.await();
                return client(thread, instances.get(thread % instances.size()));
            }));
        }
        start.countDown();
        List<Sent> sent = new ArrayList<>();
        for (Future<List<Sent>> f : futures) {
            sent.addAll(f.get(180, TimeUnit.SECONDS));
        }
        clients.shutdown();

        // every id accepted exactly once, and only ids that were sent
        Map<String, Rec> accepted = new HashMap<>();
        Set<String> sentIds = new HashSet<>();
        for (Sent s : sent) {
            sentIds.add(s.rec().recordId());
            assertThat(s.outcome()).isIn("accepted", "duplicate", "conflict");
            if (s.outcome().equals("accepted")) {
                assertThat(accepted.put(s.rec().recordId(), s.rec()))
                        .as("accepted twice: %s", s.rec().recordId())
                        .isNull();
            }
        }
        assertThat(accepted.keySet()).isEqualTo(sentIds);
        assertThat(count("records")).isEqualTo(sentIds.size());

        // a duplicate has the accepted content, a conflict does not
        for (Sent s : sent) {
            boolean same = sameContent(s.rec(), accepted.get(s.rec().recordId()));
            if (s.outcome().equals("duplicate")) {
                assertThat(same).as("duplicate %s", s.rec()).isTrue();
            } else if (s.outcome().equals("conflict")) {
                assertThat(same).as("conflict %s", s.rec()).isFalse();
            }
        }
        assertThat(sent.stream().filter(s -> s.outcome().equals("conflict"))).isNotEmpty();

        // one notification per accepted record, gapless, carrying the accepted content
        List<JsonNode> notifications = Feeds.all(api, "/v1/notifications");
        assertThat(notifications).hasSize(accepted.size());
        Feeds.assertGapless(notifications);
        Set<String> notified = new HashSet<>();
        for (JsonNode n : notifications) {
            String id = n.get("messageId").asString();
            assertThat(notified.add(id)).as("second notification for %s", id).isTrue();
            Rec a = accepted.get(id);
            assertThat(n.get("record").get("value").decimalValue()).isEqualTo(a.value());
            assertThat(n.get("record").get("destinationId").asString()).isEqualTo(a.destinationId());
        }

        // summaries chain exactly: each previous is the fold of the earlier messages of its key
        Map<List<String>, SummaryModel> models = new HashMap<>();
        for (JsonNode n : notifications) {
            Rec a = accepted.get(n.get("messageId").asString());
            SummaryModel model =
                    models.computeIfAbsent(List.of(a.destinationId(), a.reference()), k -> new SummaryModel());
            model.assertMatches(n.get("summary").get("previous"), "seq " + n.get("seq"));
            model.add(a);
        }
        for (Map.Entry<List<String>, SummaryModel> e : models.entrySet()) {
            assertThat(jdbc.queryForObject(
                            "SELECT record_count FROM summaries WHERE destination_id = ? AND reference = ?",
                            Long.class,
                            e.getKey().get(0),
                            e.getKey().get(1)))
                    .isEqualTo(e.getValue().count());
        }

        // alerts: exactly the accepted records above 10000, in the same relative order as their notifications
        List<String> expectedAlerts = notifications.stream()
                .map(n -> n.get("messageId").asString())
                .filter(id -> accepted.get(id).value().compareTo(new BigDecimal("10000")) > 0)
                .toList();
        List<JsonNode> alerts = Feeds.all(api, "/v1/alerts");
        assertThat(alerts).extracting(a -> a.get("messageId").asString()).containsExactlyElementsOf(expectedAlerts);
        assertThat(expectedAlerts).isNotEmpty();
        Feeds.assertGapless(alerts);
    }

    /** One client: a seeded mix of single POSTs, JSON-array batches and NDJSON over the shared id pool. */
    private List<Sent> client(int thread, Api instance) {
        Random random = new Random(1000 + thread);
        List<Sent> sent = new ArrayList<>();
        for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
            int kind = random.nextInt(3);
            int size = kind == 0 ? 1 : 2 + random.nextInt(7);
            List<Rec> items = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                items.add(content(random.nextInt(POOL), thread, random));
            }
            if (kind == 0) {
                Api.Response r = instance.postJson("/v1/records", items.get(0).json());
                String outcome = switch (r.status()) {
                    case 201 -> "accepted";
                    case 200 -> "duplicate";
                    case 409 -> "conflict";
                    default -> throw new AssertionError("status " + r.status() + ": " + r.body());
                };
                assertThat(r.status() == 409
                                || r.json().get("outcome").asString().equals(outcome))
                        .isTrue();
                sent.add(new Sent(items.get(0), outcome));
            } else {
                List<String> outcomes = outcomes(
                        kind == 1
                                ? instance.postJson("/v1/records/batch", Rec.array(items))
                                : instance.post("/v1/records/batch", "application/x-ndjson", Rec.ndjson(items)));
                for (int i = 0; i < items.size(); i++) {
                    sent.add(new Sent(items.get(i), outcomes.get(i)));
                }
            }
        }
        return sent;
    }

    /**
     * The content a client sends for id {@code k}: fixed per id (so repeats are duplicates, sometimes
     * in another spelling), except every 16th id whose value depends on the thread (so those conflict).
     */
    private static Rec content(int k, int thread, Random random) {
        String value = (k % 20 == 7 ? "20000." : (k + 1) + ".") + "%02d".formatted(k % 100) + (k % 5 == 0 ? "0" : "");
        if (k % 16 == 0) {
            value = new BigDecimal(value).add(BigDecimal.valueOf(thread)).toPlainString();
        }
        Rec r = rec("c-%03d".formatted(k))
                .dest("acct-" + k % 3)
                .ref(k % 4 < 2 ? "inv-1" : "inv-2")
                .unit(k % 2 == 0 ? "SEK" : "EUR")
                .type(k % 3 == 0 ? "negative" : "positive")
                .time("2026-03-%02dT%02d:00:00Z".formatted(1 + k % 28, k % 24));
        return random.nextBoolean() ? r.value(value) : r.number(value);
    }

    private static boolean sameContent(Rec a, Rec b) {
        Instant ta = a.instant();
        return ta.equals(b.instant())
                && a.sourceId().equals(b.sourceId())
                && a.destinationId().equals(b.destinationId())
                && a.type().equals(b.type())
                && a.value().compareTo(b.value()) == 0
                && a.unit().equals(b.unit())
                && a.reference().equals(b.reference());
    }
}
