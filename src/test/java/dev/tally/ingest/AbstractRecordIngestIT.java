package dev.tally.ingest;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;

/** Single-record ingest over real HTTP, run against each database by the subclasses. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractRecordIngestIT extends IntegrationTestSupport {

    @Test
    final void acceptsThenReportsDuplicateForEquivalentSpellingAndConflictForOtherContent() {
        Api.Response first =
                api.postJson("/v1/records", rec("r-1").value("10.50").json());
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("outcome").asString()).isEqualTo("accepted");

        String sameInstantOtherSpelling =
                rec("r-1").time("2026-03-01T14:00:00+02:00").number("10.5").json();
        Api.Response dup = api.postJson("/v1/records", sameInstantOtherSpelling);
        assertThat(dup.status()).isEqualTo(200);
        assertThat(dup.json().get("outcome").asString()).isEqualTo("duplicate");

        Api.Response conflict =
                api.postJson("/v1/records", rec("r-1").value("10.51").json());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().get("differingFields").get(0).asString()).isEqualTo("value");

        Api.Response stored = api.get("/v1/records/r-1");
        assertThat(stored.json().get("value").decimalValue()).isEqualTo(new BigDecimal("10.50"));
        assertThat(stored.json().get("time").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                .isEqualTo(1);
    }

    /** recordIds are exact strings: any allowed character, case and spacing significant, readable by GET. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "r-1",
                "R-1",
                "r-1 ",
                " r-1",
                "\u00e9",
                "e\u0301",
                "invoice/2026/001",
                "a\\b",
                "a%b",
                "a%2Fb",
                "a?b",
                "a#b",
                "a+b",
                "a;b",
                "a:b",
                "a b",
                "..",
                ".",
                "\ud83d\ude00"
            })
    final void anyRecordIdCanBeReadBackByGetAndFromItsLocation(String recordId) {
        Api.Response created = api.postJson("/v1/records", Rec.rec(recordId).json());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("recordId").asString()).isEqualTo(recordId);

        Api.Response stored = api.get("/v1/records/"
                + URLEncoder.encode(recordId, StandardCharsets.UTF_8).replace("+", "%20"));

        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("recordId").asString()).isEqualTo(recordId);
        assertThat(api.get(created.location()).json().get("recordId").asString())
                .isEqualTo(recordId);
    }

    @Test
    final void idsThatDifferOnlyInCaseSpacingOrNormalizationAreDifferentRecords() {
        List<String> ids = List.of("r-1", "R-1", "r-1 ", "\u00e9", "e\u0301");
        for (String id : ids) {
            assertThat(api.postJson("/v1/records", Rec.rec(id).json()).status())
                    .as(id)
                    .isEqualTo(201);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                .isEqualTo(ids.size());
    }

    @Test
    final void theExtremeTimesRoundTripExactly() {
        for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1582-10-10T00:00:00Z")) {
            assertThat(api.postJson(
                                    "/v1/records",
                                    Rec.rec("t-" + time).time(time).json())
                            .status())
                    .isEqualTo(201);
            assertThat(api.get("/v1/records/t-" + time).json().get("time").asString())
                    .isEqualTo(time);
        }
        assertThat(api.postJson(
                                "/v1/records",
                                Rec.rec("t-x").time("9999-12-31T23:59:59-01:00").json())
                        .status())
                .isEqualTo(400);
        assertThat(api.postJson(
                                "/v1/records",
                                Rec.rec("t-y").time("0001-01-01T00:00:00+01:00").json())
                        .status())
                .isEqualTo(400);
    }

    /** The size limits (tally.ingest.max-record-bytes = 1MB): a bigger body is 413, a bigger NDJSON line one invalid item. */
    @Test
    final void oversizedBodiesAndLinesAreRefusedWithoutStoringAnything() {
        String padding = "x".repeat(1_100_000);
        String huge = "{\"pad\":\"" + padding + "\","
                + rec("big-1").number("1").json().substring(1);
        Api.Response single = api.postJson("/v1/records", huge);
        assertThat(single.status()).isEqualTo(413);
        assertThat(single.contentType()).startsWith("application/problem+json");

        String ndjson = rec("ok-1").number("1").json() + "\n" + huge + "\n"
                + rec("ok-2").number("2").json() + "\n";
        Api.Response batch = api.post("/v1/records/batch", "application/x-ndjson", ndjson);
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(batch.json().get("invalid").asInt()).isEqualTo(1);
        assertThat(batch.json()
                        .get("results")
                        .get(1)
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asString())
                .contains("longer than");
        assertThat(api.get("/v1/records/big-1").status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                .isEqualTo(2);
    }
}
