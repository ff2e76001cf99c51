package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.Tables;
import dev.tally.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL unreachable (the network to it cut by a proxy): writes get 503 with Retry-After and
 * store nothing, readiness goes DOWN; when the network returns, readiness is UP again and the
 * retried writes are processed exactly once. The rollup folder's rounds fail meanwhile and are
 * retried: afterwards it has added each record to the rollups exactly once.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.hikari.connection-timeout=1000",
            "spring.datasource.hikari.validation-timeout=500",
            "tally.processing.commit-timeout=10s"
        })
class DatabaseOutagePostgresIT {

    static final TcpProxy PROXY;

    static {
        try {
            PostgresTestDatabase.ensure();
            PROXY = new TcpProxy(PostgresTestDatabase.HOST, Integer.parseInt(PostgresTestDatabase.PORT));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void viaProxy(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + PROXY.port() + "/" + PostgresTestDatabase.DATABASE
                        + "?connectTimeout=2&socketTimeout=10");
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
        registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void outageGives503AndReadinessDownThenRecovers() throws Exception {
        Tables.reset(jdbc);
        Api api = new Api(port);
        assertThat(api.postJson("/v1/records", rec("o-1").number("1").json()).status())
                .isEqualTo(201);

        PROXY.cut();
        Api.Response down = api.postJson("/v1/records", rec("o-2").number("2").json());
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.retryAfter()).isNotBlank();
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> meters.get("tally.rollups.fold.failures").counter().count() > 0);

        PROXY.restore();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/actuator/health/readiness").status() == 200);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.postJson("/v1/records", rec("o-2").number("2").json())
                                .status()
                        != 503);
        assertThat(api.get("/v1/records/o-2").status()).isEqualTo(200);
        assertThat(api.postJson("/v1/records", rec("o-2").number("2").json())
                        .json()
                        .get("outcome")
                        .asString())
                .isEqualTo("duplicate");
        assertThat(jdbc.queryForList(
                        "SELECT record_id FROM records WHERE summary_previous IS NOT NULL ORDER BY seq", String.class))
                .containsExactly("o-1", "o-2");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark", Long.class) == 2);
        for (String table : new String[] {"hourly_totals", "daily_totals", "weekly_totals"}) {
            assertThat(jdbc.queryForObject("SELECT SUM(record_count) FROM " + table, Long.class))
                    .as(table)
                    .isEqualTo(2);
        }
    }
}
