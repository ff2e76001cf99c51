package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What every integration test shares: the real HTTP client, the database for counting rows, and a
 * reset before each test. The {@code @SpringBootTest} itself is declared by each {@code Abstract*IT}
 * (all alike, so that Spring caches one context per database).
 */
public abstract class IntegrationTestSupport {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected Api api;

    @BeforeEach
    void resetDatabaseAndClient() {
        Tables.reset(jdbc);
        api = new Api(port);
    }

    protected long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    protected Api.Response postOne(Rec r) {
        return api.postJson("/v1/records", r.json());
    }

    protected Api.Response postArray(List<Rec> records) {
        return api.postJson("/v1/records/batch", Rec.array(records));
    }

    protected Api.Response postNdjson(List<Rec> records) {
        return api.post("/v1/records/batch", "application/x-ndjson", Rec.ndjson(records));
    }

    /** The outcomes of a batch response, in input order; also checks indexes and counts agree. */
    protected static List<String> outcomes(Api.Response batch) {
        assertThat(batch.status()).as("batch status, body %s", batch.body()).isEqualTo(200);
        List<String> outcomes = new ArrayList<>();
        JsonNode results = batch.json().get("results");
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            outcomes.add(results.get(i).get("outcome").asString());
        }
        for (String outcome : List.of("accepted", "duplicate", "conflict", "invalid", "forbidden")) {
            assertThat(batch.json().get(outcome).asLong())
                    .as("count of %s", outcome)
                    .isEqualTo(outcomes.stream().filter(outcome::equals).count());
        }
        return outcomes;
    }

    /** The field names of a problem's or a batch item's {@code errors}. */
    protected static List<String> errorFields(JsonNode withErrors) {
        return ProblemJson.errorFields(withErrors);
    }
}
