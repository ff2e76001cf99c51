package dev.tally.ingest;

import static dev.tally.support.TestData.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.TestData;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Single-record ingest over real HTTP, run against each database by the subclasses. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractRecordIngestIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void reset() {
        TestData.reset(jdbc);
        api = new Api(port);
    }

    @Test
    void acceptsThenReportsDuplicateForEquivalentSpellingAndConflictForOtherContent() {
        Api.Response first = api.postJson("/v1/records", record("r-1", "\"10.50\""));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("outcome").asString()).isEqualTo("accepted");

        String sameInstantOtherSpelling = TestData.record("r-1", "2026-03-01T14:00:00+02:00", "acct-42", "positive",
                "10.5", "SEK", "inv-1");
        Api.Response dup = api.postJson("/v1/records", sameInstantOtherSpelling);
        assertThat(dup.status()).isEqualTo(200);
        assertThat(dup.json().get("outcome").asString()).isEqualTo("duplicate");

        Api.Response conflict = api.postJson("/v1/records", record("r-1", "\"10.51\""));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().get("differingFields").get(0).asString()).isEqualTo("value");

        Api.Response stored = api.get("/v1/records/r-1");
        assertThat(stored.json().get("value").decimalValue()).isEqualTo(new BigDecimal("10.50"));
        assertThat(stored.json().get("time").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class)).isEqualTo(1);
    }
}
