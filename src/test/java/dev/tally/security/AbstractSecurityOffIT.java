package dev.tally.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Security off (no resource-server property, the embedded default every other IT runs in): no
 * token is asked for, every source may be written, and health answers with the status alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractSecurityOffIT extends IntegrationTestSupport {

    @Test
    final void healthShowsTheStatusOnlyEvenWithDetailsOnTheClasspath() {
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            Api.Response r = api.get(probe);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("status").asString()).isEqualTo("UP");
            assertThat(r.json().has("components")).as(r.body()).isFalse();
            assertThat(r.body()).doesNotContain("diskSpace").doesNotContain("database");
        }
    }

    @Test
    final void everySourceMayBeWrittenWithoutAToken() {
        assertThat(postOne(Rec.rec("r-1").source("payments")).status()).isEqualTo(201);
        assertThat(outcomes(postArray(List.of(Rec.rec("r-2").source("x"), Rec.rec("r-3")))))
                .containsExactly("accepted", "accepted");
        assertThat(outcomes(postNdjson(List.of(Rec.rec("r-4").source("y"))))).containsExactly("accepted");
        assertThat(api.get("/v1/records/r-1").status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus").status()).isEqualTo(200);
    }
}
