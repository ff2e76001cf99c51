package dev.tally.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.TallyApplication;
import dev.tally.support.Api;
import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.TestData;
import dev.tally.support.UsePostgres;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two Tally instances (two application contexts, two HTTP servers) on ONE PostgreSQL database,
 * hammered concurrently with overlapping recordIds: every id is accepted exactly once across
 * both, notification seqs are gapless, and every summary chains exactly in seq order.
 */
@UsePostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TwoInstancesPostgresIT {

    static final int IDS = 400;
    static final int THREADS_PER_INSTANCE = 6;
    static final int SENDS_PER_THREAD = 150;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ConfigurableApplicationContext second;

    @BeforeEach
    void startSecondInstance() {
        TestData.reset(jdbc);
        second = new SpringApplicationBuilder(TallyApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + PostgresTestDatabase.ensure(),
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD);
    }

    @AfterEach
    void stopSecondInstance() {
        second.close();
    }

    /** Record i: destination i % 7, reference i % 3, unit by i % 2, alternating types; values with scale 2. */
    static String recordJson(int i) {
        return TestData.record("t-" + i, "2026-03-01T12:00:00Z", "acct-" + (i % 7), i % 5 == 0 ? "negative" : "positive",
                "\"" + new BigDecimal(i).movePointLeft(2).add(BigDecimal.ONE) + "\"", i % 2 == 0 ? "SEK" : "EUR",
                "ref-" + (i % 3));
    }

    @Test
    void overlappingWritesThroughTwoInstancesAreExactlyOnce() throws Exception {
        int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
        List<Api> apis = List.of(new Api(port), new Api(secondPort));
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
        List<Future<Map<String, Integer>>> futures = new ArrayList<>();
        for (int t = 0; t < 2 * THREADS_PER_INSTANCE; t++) {
            Api api = apis.get(t % 2);
            int seed = t;
            futures.add(pool.submit(() -> {
                Map<String, Integer> outcomes = new HashMap<>();
                for (int k = 0; k < SENDS_PER_THREAD; k++) {
                    int i = (seed * 37 + k * 11) % IDS;
                    Api.Response r = api.postJson("/v1/records", recordJson(i));
                    assertThat(r.status()).as(r.body()).isIn(200, 201);
                    outcomes.merge(r.json().get("outcome").asString(), 1, Integer::sum);
                }
                return outcomes;
            }));
        }
        Map<String, Integer> total = new HashMap<>();
        for (Future<Map<String, Integer>> f : futures) {
            f.get(120, TimeUnit.SECONDS).forEach((k, v) -> total.merge(k, v, Integer::sum));
        }
        pool.shutdown();

        long distinct = jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class);
        assertThat(total.getOrDefault("accepted", 0)).isEqualTo((int) distinct);
        assertThat(total.get("accepted") + total.getOrDefault("duplicate", 0))
                .isEqualTo(2 * THREADS_PER_INSTANCE * SENDS_PER_THREAD);
        assertThat(total).doesNotContainKey("conflict");

        // Gapless seqs, one notification per record, and summaries that chain in seq order.
        List<String> payloads = jdbc.queryForList(
                "SELECT payload FROM outbox WHERE feed = 'notifications' ORDER BY seq", String.class);
        assertThat(payloads).hasSize((int) distinct);
        Map<String, Map<String, BigDecimal[]>> model = new HashMap<>(); // key -> unit -> {positive, negative}
        Map<String, Long> counts = new HashMap<>();
        long expectedSeq = 1;
        for (String payload : payloads) {
            JsonNode m = Api.JSON.readTree(payload);
            assertThat(m.get("seq").asLong()).isEqualTo(expectedSeq++);
            JsonNode rec = m.get("record");
            String key = rec.get("destinationId").asString() + "|" + rec.get("reference").asString();
            JsonNode previous = m.get("summary").get("previous");
            assertThat(previous.get("recordCount").asLong()).isEqualTo(counts.getOrDefault(key, 0L));
            Map<String, BigDecimal[]> units = model.computeIfAbsent(key, k -> new HashMap<>());
            assertThat(previous.get("totals").size()).isEqualTo(units.size());
            for (JsonNode t : previous.get("totals")) {
                BigDecimal[] pn = units.get(t.get("unit").asString());
                assertThat(t.get("positive").decimalValue()).isEqualByComparingTo(pn[0]);
                assertThat(t.get("negative").decimalValue()).isEqualByComparingTo(pn[1]);
                assertThat(t.get("net").decimalValue()).isEqualByComparingTo(pn[0].subtract(pn[1]));
            }
            BigDecimal[] pn = units.computeIfAbsent(rec.get("unit").asString(),
                    u -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            int side = "positive".equals(rec.get("type").asString()) ? 0 : 1;
            pn[side] = pn[side].add(rec.get("value").decimalValue());
            counts.merge(key, 1L, Long::sum);
        }
    }
}
