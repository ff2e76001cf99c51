package dev.tally.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import dev.tally.support.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Security on (a public key configured, as an operator without an identity provider would): the
 * token, scope and source rules of docs/security.md over real HTTP, run against each database by
 * the subclasses. Tokens are signed by {@link Tokens} with a key pair generated for the run.
 * Security's own loggers run at TRACE here, so that the no-leak test sees the most they can say.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "logging.level.org.springframework.security=TRACE",
            "logging.level.org.springframework.web=DEBUG",
            "logging.level.dev.tally=DEBUG"
        })
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractSecurityIT extends IntegrationTestSupport {

    private static final String ALL_SCOPES = "records:write records:read feeds:read ops:read";

    @DynamicPropertySource
    static void trustTheTestKey(DynamicPropertyRegistry registry) {
        Tokens.securityOn().forEach((k, v) -> registry.add(k, () -> v));
    }

    private record Call(String method, String path, String scope) {}

    private static final List<Call> CALLS = List.of(
            new Call("POST", "/v1/records", "records:write"),
            new Call("POST", "/v1/records/batch", "records:write"),
            new Call("GET", "/v1/records/r-1", "records:read"),
            new Call("GET", "/v1/aggregations", "records:read"),
            new Call("GET", "/v1/notifications", "feeds:read"),
            new Call("GET", "/v1/alerts", "feeds:read"),
            new Call("GET", "/actuator/metrics", "ops:read"),
            new Call("GET", "/actuator/prometheus", "ops:read"),
            new Call("GET", "/actuator/health/db", "ops:read"));

    private static Api.Response call(Api client, Call c) {
        return "POST".equals(c.method())
                ? client.postJson(
                        c.path(),
                        c.path().endsWith("batch")
                                ? Rec.array(List.of(Rec.rec("r-1")))
                                : Rec.rec("r-1").json())
                : client.get(c.path());
    }

    private static void assertProblem(Api.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("title").asString()).isNotBlank();
        assertThat(r.json().get("detail").asString()).isNotBlank();
    }

    /** The documentation is open for GET (docs/security.md), and only for GET; the API it describes is not. */
    @Test
    void theApiDocumentationIsOpenForGetWithoutAToken() {
        Api.Response doc = api.get("/v3/api-docs");
        assertThat(doc.status()).as(doc.body()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/v1/records")).isTrue();
        assertThat(api.get("/v3/api-docs.yaml").status()).isEqualTo(200);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(api.get("/v3/api-docs/swagger-config").status()).isEqualTo(200);

        assertThat(doc.json().at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        for (Call c : CALLS.stream().filter(c -> c.path().startsWith("/v1/")).toList()) {
            String path = c.path().equals("/v1/records/r-1") ? "/v1/records/{recordId}" : c.path();
            JsonNode op = doc.json().get("paths").get(path).get(c.method().toLowerCase(java.util.Locale.ROOT));
            assertThat(op.at("/security/0/bearer/0").asString()).as(c.path()).isEqualTo(c.scope());
            assertThat(op.get("responses").has("401")).isTrue();
            assertThat(op.get("responses").has("403")).isTrue();
        }

        assertProblem(api.post("/v3/api-docs", "application/json", "{}"), 401);
        assertProblem(api.get("/v1/records/r-1"), 401);
    }

    @Test
    final void withoutATokenEveryCallButTheProbesIs401WithABearerChallengeAndAProblem() {
        for (Call c : CALLS) {
            Api.Response r = call(api, c);
            assertProblem(r, 401);
            assertThat(r.wwwAuthenticate()).as(c.path()).startsWith("Bearer");
        }
        assertThat(count("records")).isZero();
    }

    @Test
    final void aMalformedBadlySignedExpiredOrNotYetValidTokenIs401InvalidToken() {
        Instant now = Instant.now();
        List<String> refused = List.of(
                "not-a-jwt",
                Tokens.UNTRUSTED.token(ALL_SCOPES, List.of("*")),
                // expired 2 minutes ago: beyond the decoder's 60 s clock skew
                Tokens.TRUSTED.token(ALL_SCOPES, List.of("*"), now.minus(Duration.ofMinutes(7)), Duration.ofMinutes(5)),
                Tokens.TRUSTED.sign(Tokens.claims(now, Duration.ofMinutes(5))
                        .claim("scope", ALL_SCOPES)
                        .notBeforeTime(java.util.Date.from(now.plus(Duration.ofMinutes(5))))
                        .build()));
        for (String token : refused) {
            for (Call c : List.of(CALLS.get(0), CALLS.get(2), CALLS.get(4), CALLS.get(6))) {
                Api.Response r = call(api.withBearer(token), c);
                assertProblem(r, 401);
                assertThat(r.wwwAuthenticate()).startsWith("Bearer").contains("error=\"invalid_token\"");
            }
        }
        assertThat(api.withAuthorization("Basic dXNlcjpwYXNz").get("/v1/alerts").status())
                .isEqualTo(401);
        assertThat(count("records")).isZero();
    }

    @Test
    final void aTokenWithoutTheCallsScopeIs403NamingTheScope() {
        for (Call c : CALLS) {
            String otherScopes = ALL_SCOPES.replace(c.scope(), "").trim();
            Api.Response r = call(api.withBearer(Tokens.TRUSTED.token(otherScopes, List.of("*"))), c);
            assertProblem(r, 403);
            assertThat(r.json().get("detail").asString()).as(c.path()).contains(c.scope());
            assertThat(r.wwwAuthenticate()).contains("error=\"insufficient_scope\"");
        }
        assertThat(count("records")).isZero();
    }

    @Test
    final void actuatorWriteOperationsNeedOpsWriteAndOpsReadIsNotEnough() {
        String resume = "/actuator/relay/notifications/resume";
        Api.Response readOnly =
                api.withBearer(Tokens.TRUSTED.token("ops:read", null)).postJson(resume, "");
        assertProblem(readOnly, 403);
        assertThat(readOnly.json().get("detail").asString()).contains("ops:write");
        Api.Response write =
                api.withBearer(Tokens.TRUSTED.token("ops:write", null)).postJson(resume, "");
        // past security: Kafka is off in this test, so there is no relay to resume
        assertThat(write.status()).as(write.body()).isNotIn(401, 403);
    }

    @Test
    final void theRightScopeIsEnoughInEitherStandardClaim() {
        for (Call c : CALLS) {
            Api.Response viaScope = call(api.withBearer(Tokens.TRUSTED.token(c.scope(), List.of("*"))), c);
            assertThat(viaScope.status())
                    .as("%s %s: %s", c.method(), c.path(), viaScope.body())
                    .isBetween(200, 299);
            String viaScp = Tokens.TRUSTED.sign(Tokens.claims(Instant.now(), Duration.ofMinutes(5))
                    .claim("scp", List.of(c.scope()))
                    .claim("tally_sources", List.of("*"))
                    .build());
            assertThat(call(api.withBearer(viaScp), c).status()).as(c.path()).isBetween(200, 299);
        }
    }

    @Test
    final void theProbesAreOpenWithTheStatusOnlyAndOpsReadSeesTheDetails() {
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            for (Api client : List.of(
                    api, api.withBearer(Tokens.TRUSTED.token("records:write records:read feeds:read", List.of("*"))))) {
                Api.Response r = client.get(probe);
                assertThat(r.status()).as(probe).isEqualTo(200);
                assertThat(r.json().get("status").asString()).isEqualTo("UP");
                assertThat(r.json().has("components"))
                        .as(probe + " " + r.body())
                        .isFalse();
                assertThat(r.json().has("details")).as(probe + " " + r.body()).isFalse();
            }
        }
        Api.Response ops =
                api.withBearer(Tokens.TRUSTED.token("ops:read", null)).get("/actuator/health");
        assertThat(ops.status()).isEqualTo(200);
        assertThat(ops.json()
                        .get("components")
                        .get("db")
                        .get("details")
                        .get("database")
                        .asString())
                .isNotBlank();
        assertThat(ops.json().get("components").get("diskSpace").get("details").has("path"))
                .isTrue();
    }

    @Test
    final void aSingleRecordOfASourceTheTokenMayNotWriteIs403NamingTheFieldAndNothingIsStored() {
        Api billingOnly = api.withBearer(Tokens.TRUSTED.token("records:write", List.of("billing", "refunds")));

        Api.Response refused = billingOnly.postJson(
                "/v1/records", Rec.rec("r-1").source("payments").json());

        assertProblem(refused, 403);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:tally:problem:forbidden-source");
        assertThat(errorFields(refused.json())).containsExactly("sourceId");
        assertThat(count("records")).isZero();
        assertThat(count("outbox")).isZero();

        assertThat(billingOnly.postJson("/v1/records", Rec.rec("r-1").json()).status())
                .isEqualTo(201);
        assertThat(billingOnly
                        .postJson(
                                "/v1/records", Rec.rec("r-2").source("refunds").json())
                        .status())
                .isEqualTo(201);
        Api noClaim = api.withBearer(Tokens.TRUSTED.token("records:write", null));
        assertThat(noClaim.postJson("/v1/records", Rec.rec("r-3").json()).status())
                .isEqualTo(403);
        Api any = api.withBearer(Tokens.TRUSTED.token("records:write", List.of("*")));
        assertThat(any.postJson("/v1/records", Rec.rec("r-4").source("anything").json())
                        .status())
                .isEqualTo(201);
        assertThat(count("records")).isEqualTo(3);
    }

    /** Item 0 is forbidden and item 1 has its recordId: the forbidden copy must not count as seen. */
    private static List<Rec> mixedBatch() {
        return List.of(
                Rec.rec("r-1").source("payments"),
                Rec.rec("r-1"),
                Rec.rec("r-2").time("no offset"),
                Rec.rec("r-3").source("payments"),
                Rec.rec("r-4"));
    }

    @Test
    final void aJsonArrayBatchRefusesTheForbiddenItemsAndProcessesTheOthers() {
        api = api.withBearer(Tokens.TRUSTED.token("records:write records:read", List.of("billing")));

        Api.Response batch = postArray(mixedBatch());

        checkMixedBatch(batch);
    }

    @Test
    final void anNdjsonBatchRefusesTheForbiddenItemsAndProcessesTheOthers() {
        api = api.withBearer(Tokens.TRUSTED.token("records:write records:read", List.of("billing")));

        Api.Response batch = postNdjson(mixedBatch());

        checkMixedBatch(batch);
        assertThat(batch.json().get("complete").asBoolean()).isTrue();
    }

    private void checkMixedBatch(Api.Response batch) {
        assertThat(outcomes(batch)).containsExactly("forbidden", "accepted", "invalid", "forbidden", "accepted");
        assertThat(batch.json().get("forbidden").asLong()).isEqualTo(2);
        JsonNode results = batch.json().get("results");
        assertThat(errorFields(results.get(0))).containsExactly("sourceId");
        assertThat(results.get(3).get("recordId").asString()).isEqualTo("r-3");
        assertThat(jdbc.queryForList("SELECT record_id FROM records ORDER BY record_id", String.class))
                .containsExactly("r-1", "r-4");
        assertThat(jdbc.queryForObject("SELECT source_id FROM records WHERE record_id = 'r-1'", String.class))
                .isEqualTo("billing");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .as("a notification per processed record")
                .isEqualTo(2);
    }

    /** The relaxed firewall ({@code RecordIdFirewall}): odd recordIds readable, no closed path opened. */
    @Test
    final void recordIdsWithReservedCharactersStayReadableAndNoSpellingOfAPathBypassesItsRule() {
        Api writer = api.withBearer(Tokens.TRUSTED.token("records:write", List.of("billing")));
        Api reader = api.withBearer(Tokens.TRUSTED.token("records:read", null));
        for (String id : List.of("invoice/2026/001", "a\\b", "a%b", "a;b", "..", ".", "a b")) {
            assertThat(writer.postJson("/v1/records", Rec.rec(id).json()).status())
                    .as(id)
                    .isEqualTo(201);
            String path = "/v1/records/"
                    + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20");
            assertThat(reader.get(path).status()).as(path).isEqualTo(200);
            assertThat(api.get(path).status()).as(path).isEqualTo(401);
            assertThat(writer.get(path).status()).as(path).isEqualTo(403);
        }
        for (String path : List.of(
                "/actuator/health/..%2Fmetrics",
                "/actuator/health%2F..%2Fmetrics",
                "/actuator/health;x=1/../metrics",
                "/actuator/health/%2E%2E/metrics",
                "/actuator/./metrics",
                "/actuator//metrics",
                "/v1/records/../notifications",
                "/v1/records/x/../../alerts")) {
            Api.Response r = reader.get(path);
            assertThat(r.status()).as("%s: %s", path, r.body()).isNotEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("names").doesNotContain("messages");
        }
    }

    @Test
    final void tokensAuthorizationHeadersAndRecordPayloadsNeverReachTheLogs(CapturedOutput output) {
        String writer = Tokens.TRUSTED.token("records:write", List.of("billing"));
        String reader = Tokens.TRUSTED.token("records:read", List.of("billing"));
        String expired = Tokens.TRUSTED.token(
                "records:write", List.of("billing"), Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(5));
        String untrusted = Tokens.UNTRUSTED.token("records:write", List.of("billing"));
        Rec secret =
                Rec.rec("leak-1").dest("acct-leak-7f3e").ref("ref-leak-91c2").value("918273.645");

        assertThat(api.withBearer(writer).postJson("/v1/records", secret.json()).status())
                .isEqualTo(201);
        assertThat(api.withBearer(writer)
                        .postJson("/v1/records", secret.value("1.5").json())
                        .status())
                .isEqualTo(409);
        assertThat(api.withBearer(writer)
                        .postJson("/v1/records", secret.source("payments").json())
                        .status())
                .isEqualTo(403);
        assertThat(api.withBearer(writer)
                        .postJson(
                                "/v1/records/batch",
                                Rec.array(List.of(
                                        secret,
                                        secret.id("leak-2").source("payments"),
                                        secret.id("leak-3").time("no offset"))))
                        .status())
                .isEqualTo(200);
        assertThat(api.withBearer(reader).postJson("/v1/records", secret.json()).status())
                .isEqualTo(403);
        assertThat(api.withBearer(expired)
                        .postJson("/v1/records", secret.json())
                        .status())
                .isEqualTo(401);
        assertThat(api.withBearer(untrusted)
                        .postJson("/v1/records", secret.json())
                        .status())
                .isEqualTo(401);
        assertThat(api.withBearer("garbage.token.value")
                        .postJson("/v1/records", secret.json())
                        .status())
                .isEqualTo(401);
        assertThat(api.withBearer(reader).get("/v1/records/leak-1").status()).isEqualTo(200);

        String logs = output.getAll();
        assertThat(logs).as("security logged at TRACE during the calls").contains("BearerTokenAuthenticationFilter");
        for (String token : List.of(writer, reader, expired, untrusted, "garbage.token.value")) {
            assertThat(logs).doesNotContain(token);
            // a token's signature alone is also a secret in the sense that matters here
            assertThat(logs).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        assertThat(logs).doesNotContainIgnoringCase("Bearer ey").doesNotContainIgnoringCase("authorization:");
        assertThat(logs)
                .doesNotContain("acct-leak-7f3e")
                .doesNotContain("ref-leak-91c2")
                .doesNotContain("918273.645");
    }
}
