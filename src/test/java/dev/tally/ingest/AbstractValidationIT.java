package dev.tally.ingest;

import static dev.tally.support.Rec.quote;
import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Every input rule of SPEC §2 over HTTP: an invalid record is a 400 problem naming the field and
 * nothing is stored; in a batch it is an invalid item and the valid items still proceed. Also
 * malformed JSON, unknown fields, and the exactness and bounds of accepted values.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractValidationIT extends IntegrationTestSupport {

    private static final Rec BAD = rec("bad-1");
    private static final Rec GOOD = rec("good-1");

    static Stream<Arguments> invalidRecords() {
        List<Arguments> cases = new ArrayList<>();
        for (String field :
                List.of("recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference")) {
            cases.add(Arguments.of(field + " missing", BAD.jsonWithout(field), field));
            cases.add(Arguments.of(field + " null", BAD.jsonWith(field, "null"), field));
            cases.add(Arguments.of(field + " an object", BAD.jsonWith(field, "{\"a\":1}"), field));
            cases.add(Arguments.of(field + " an array", BAD.jsonWith(field, "[\"x\"]"), field));
            cases.add(Arguments.of(field + " a boolean", BAD.jsonWith(field, "true"), field));
        }
        for (String field : List.of("recordId", "sourceId", "destinationId")) {
            cases.add(Arguments.of(field + " empty", BAD.jsonWith(field, "\"\""), field));
            cases.add(Arguments.of(field + " 129 chars", BAD.jsonWith(field, quote("a".repeat(129))), field));
            cases.add(Arguments.of(field + " a number", BAD.jsonWith(field, "42"), field));
            for (String control : List.of("\\u0000", "\\u0001", "\\t", "\\n", "\\r", "\\u001f", "\\u007f", "\\u0085")) {
                cases.add(Arguments.of(
                        field + " with control " + control, BAD.jsonWith(field, "\"a" + control + "b\""), field));
            }
        }
        for (String time : List.of(
                "2026-03-01T12:00:00",
                "2026-03-01T12:00:00.123",
                "2026-03-01",
                "12:00:00Z",
                "2026-03-01 12:00:00Z",
                "2026-03-01T12:00:00.1234567Z",
                "2026-03-01T12:00:00.123456789Z",
                "2026-03-01T12:00:00.000000001+02:00",
                "2026-13-01T12:00:00Z",
                "not a time",
                "")) {
            cases.add(Arguments.of("time " + time, BAD.jsonWith("time", quote(time)), "time"));
        }
        cases.add(Arguments.of("time as epoch number", BAD.jsonWith("time", "1772366400"), "time"));
        for (String type : List.of("Positive", "POSITIVE", "Negative", "credit", "", "positive ")) {
            cases.add(Arguments.of("type " + type, BAD.jsonWith("type", quote(type)), "type"));
        }
        String digits39 = "123456789012345678901234567890123456789";
        String scale19 = "0.1234567890123456789";
        for (String v : List.of("-1", "-0.01", digits39, "12345678901234567890.1234567890123456789", scale19)) {
            cases.add(Arguments.of("value number " + v, BAD.number(v).json(), "value"));
            cases.add(Arguments.of("value string " + v, BAD.value(v).json(), "value"));
        }
        for (String v : List.of("abc", "", " 1", "1,50", "1.", ".5", "+1", "NaN", "Infinity", "0x10", "10 SEK")) {
            cases.add(Arguments.of("value string '" + v + "'", BAD.value(v).json(), "value"));
        }
        cases.add(Arguments.of("unit empty", BAD.jsonWith("unit", "\"\""), "unit"));
        cases.add(Arguments.of("unit 33 chars", BAD.jsonWith("unit", quote("U".repeat(33))), "unit"));
        cases.add(Arguments.of("unit a number", BAD.jsonWith("unit", "978"), "unit"));
        cases.add(Arguments.of("reference empty", BAD.jsonWith("reference", "\"\""), "reference"));
        cases.add(Arguments.of("reference 257 chars", BAD.jsonWith("reference", quote("x".repeat(257))), "reference"));
        cases.add(Arguments.of("reference a number", BAD.jsonWith("reference", "1"), "reference"));
        cases.add(Arguments.of("value given twice", BAD.json().replace("}", ",\"value\":\"1\"}"), "value"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    final void anInvalidRecordIsA400NamingTheFieldAndNothingIsStored(String description, String body, String field) {
        Api.Response r = api.postJson("/v1/records", body);

        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(errorFields(r.json())).as(r.body()).containsExactly(field);
        assertThat(r.json().get("errors").get(0).get("message").asString()).isNotBlank();
        assertThat(r.json().get("detail").asString()).contains(field);
        assertNothingStored();
        if (!field.equals("recordId")) {
            assertThat(api.get("/v1/records/bad-1").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    final void anInvalidBatchItemIsReportedAndTheValidItemsProceed(String description, String body, String field) {
        Api.Response batch = api.postJson(
                "/v1/records/batch",
                "[" + GOOD.json() + "," + body + "," + rec("good-2").json() + "]");

        assertThat(outcomes(batch)).containsExactly("accepted", "invalid", "accepted");
        JsonNode invalid = batch.json().get("results").get(1);
        assertThat(errorFields(invalid)).containsExactly(field);
        if (!field.equals("recordId")) {
            assertThat(invalid.get("recordId").asString()).isEqualTo("bad-1");
        }
        assertThat(jdbc.queryForList("SELECT record_id FROM records ORDER BY record_id", String.class))
                .containsExactly("good-1", "good-2");
    }

    @Test
    final void everyBrokenRuleOfOneRecordIsNamed() {
        String body = BAD.time("2026-03-01T12:00:00")
                .type("credit")
                .number("-1")
                .unit("")
                .json();

        Api.Response r = api.postJson("/v1/records", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorFields(r.json())).containsExactlyInAnyOrder("time", "type", "value", "unit");
        assertNothingStored();
    }

    @ParameterizedTest
    @MethodSource("dev.tally.support.MalformedBodies#singleRecord")
    final void malformedJsonIsA400AndNothingIsStored(String body) {
        Api.Response r = api.postJson("/v1/records", body);

        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertNothingStored();
    }

    @Test
    final void aValidRecordFollowedByGarbageIsRejectedWhole() {
        Api.Response r = api.postJson("/v1/records", GOOD.json() + "x");

        assertThat(r.status()).isEqualTo(400);
        assertNothingStored();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "{}", "[{\"recordId\":\"good-1\"}", "not json", "", "null"})
    final void aMalformedBatchBodyIsA400AndNothingIsStored(String body) {
        Api.Response r = api.postJson("/v1/records/batch", body.isEmpty() ? "" : body);

        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertNothingStored();
    }

    @Test
    final void aBatchThatBreaksOffAfterValidItemsStoresNothing() {
        Api.Response r = api.postJson(
                "/v1/records/batch", "[" + GOOD.json() + "," + rec("good-2").json() + ",{\"rec");

        assertThat(r.status()).isEqualTo(400);
        assertNothingStored();
    }

    @Test
    final void nonObjectItemsInABatchAreInvalidItemsAndValidOnesProceed() {
        Api.Response batch = api.postJson(
                "/v1/records/batch",
                "[" + GOOD.json() + ",1,\"x\",null,[],[" + BAD.json() + "],true,"
                        + rec("good-2").json() + "]");

        assertThat(outcomes(batch))
                .containsExactly(
                        "accepted", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "accepted");
        for (int i = 1; i <= 6; i++) {
            assertThat(errorFields(batch.json().get("results").get(i))).containsExactly("$");
        }
        assertThat(count("records")).isEqualTo(2);
        assertThat(api.get("/v1/records/bad-1").status()).isEqualTo(404);
    }

    @Test
    final void aJsonArrayBatchHoldsAtMostMaxBatchItems() {
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            items.append(i == 0 ? "" : ",").append(rec("m-" + i).json());
        }
        String tenThousand = items + "]";
        String tenThousandAndOne = items + "," + rec("m-10000").json() + "]";

        Api.Response tooMany = api.postJson("/v1/records/batch", tenThousandAndOne);
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.contentType()).startsWith("application/problem+json");
        assertNothingStored();

        Api.Response full = api.postJson("/v1/records/batch", tenThousand);
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.json().get("accepted").asLong()).isEqualTo(10_000);
        assertThat(count("records")).isEqualTo(10_000);
    }

    @Test
    final void anEmptyBatchIsAnsweredWithZeroCounts() {
        assertThat(outcomes(api.postJson("/v1/records/batch", "[]"))).isEmpty();
        assertThat(outcomes(api.post("/v1/records/batch", "application/x-ndjson", "")))
                .isEmpty();
    }

    @Test
    final void badNdjsonLinesAreInvalidItemsAndTheOtherLinesProceed() {
        String body = GOOD.json() + "\n"
                + "not json\n"
                + "\n" // blank lines are skipped
                + "[" + BAD.json() + "]\n"
                + "42\n"
                + BAD.number("-5").json() + "\n"
                + GOOD.json() + " " + GOOD.json() + "\n" // two objects on one line
                + rec("good-2").json(); // no final newline

        Api.Response batch = api.post("/v1/records/batch", "application/x-ndjson", body);

        assertThat(outcomes(batch))
                .containsExactly("accepted", "invalid", "invalid", "invalid", "invalid", "invalid", "accepted");
        assertThat(errorFields(batch.json().get("results").get(4))).containsExactly("value");
        assertThat(batch.json().get("results").get(4).get("recordId").asString())
                .isEqualTo("bad-1");
        assertThat(jdbc.queryForList("SELECT record_id FROM records ORDER BY record_id", String.class))
                .containsExactly("good-1", "good-2");
    }

    @Test
    final void unknownExtraFieldsAreIgnored() {
        String body = GOOD.json()
                .replace(
                        "}",
                        ",\"comment\":\"x\",\"nested\":{\"value\":\"-1\",\"deep\":[1,{\"time\":null}]},\"tags\":[1,2],\"n\":null}");

        Api.Response r = api.postJson("/v1/records", body);

        assertThat(r.status()).isEqualTo(201);
        JsonNode stored = api.get("/v1/records/good-1").json();
        assertThat(stored.get("value").decimalValue()).isEqualTo(new BigDecimal("10.00"));
        assertThat(stored.has("comment")).isFalse();
        assertThat(stored.has("nested")).isFalse();
    }

    @Test
    final void aJsonNumberValueIsStoredExactly() {
        String digits38 = "12345678901234567890.123456789012345678";
        String scale18 = "0.000000000000000001";
        assertThat(postOne(rec("v-1").number("0.1")).status()).isEqualTo(201);
        assertThat(postOne(rec("v-2").number(digits38)).status()).isEqualTo(201);
        assertThat(postOne(rec("v-3").number(scale18)).status()).isEqualTo(201);
        assertThat(postOne(rec("v-4").value(digits38)).status()).isEqualTo(201);
        assertThat(postOne(rec("v-5").number("99999999999999999999999999999999999999"))
                        .status())
                .isEqualTo(201);
        assertThat(postOne(rec("v-6").number("0")).status()).isEqualTo(201);
        assertThat(postOne(rec("v-7").number("10.50")).status()).isEqualTo(201);

        assertThat(api.get("/v1/records/v-1").body()).contains("\"value\":0.1,");
        assertThat(api.get("/v1/records/v-2").body()).contains("\"value\":" + digits38 + ",");
        assertThat(api.get("/v1/records/v-3").body()).contains("\"value\":" + scale18 + ",");
        assertThat(api.get("/v1/records/v-4").body()).contains("\"value\":" + digits38 + ",");
        assertThat(api.get("/v1/records/v-5").body()).contains("\"value\":99999999999999999999999999999999999999,");
        assertThat(api.get("/v1/records/v-6").body()).contains("\"value\":0,");
        assertThat(api.get("/v1/records/v-7").body()).contains("\"value\":10.50,");
    }

    @Test
    final void lengthsAtTheBoundsAreAccepted() {
        String id = "i".repeat(128);
        Rec longest = rec(id).source("s".repeat(128))
                .dest("d".repeat(128))
                .unit("U".repeat(32))
                .ref("r".repeat(256));

        assertThat(postOne(longest).status()).isEqualTo(201);
        JsonNode stored = api.get("/v1/records/" + id).json();
        assertThat(stored.get("sourceId").asString()).hasSize(128);
        assertThat(stored.get("destinationId").asString()).hasSize(128);
        assertThat(stored.get("unit").asString()).hasSize(32);
        assertThat(stored.get("reference").asString()).hasSize(256);

        Rec shortest = rec("x").source("s").dest("d").unit("U").ref("r");
        assertThat(postOne(shortest).status()).isEqualTo(201);

        Rec nonAscii =
                rec("é".repeat(128)).dest("ü".repeat(128)).unit("€".repeat(32)).ref("ß".repeat(256));
        assertThat(postOne(nonAscii).status()).isEqualTo(201);
        assertThat(api.get("/v1/records/" + "%C3%A9".repeat(128))
                        .json()
                        .get("unit")
                        .asString())
                .isEqualTo("€".repeat(32));
    }

    @Test
    final void microsecondsAndOffsetsAreAcceptedAndStoredInUtc() {
        assertThat(postOne(rec("t-1").time("2026-03-01T23:30:00.123456-01:00")).status())
                .isEqualTo(201);

        assertThat(api.get("/v1/records/t-1").json().get("time").asString()).isEqualTo("2026-03-02T00:30:00.123456Z");
    }

    private void assertNothingStored() {
        assertThat(count("records")).isZero();
        assertThat(count("outbox")).isZero();
        assertThat(count("summaries")).isZero();
    }
}
