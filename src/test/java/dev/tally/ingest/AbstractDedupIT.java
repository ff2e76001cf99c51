package dev.tally.ingest;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.Feeds;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import dev.tally.support.Tables;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Exactly-once by content (SPEC §3.1): duplicates in equivalent spellings, conflicts that name the
 * differing fields and leave the stored record alone, and repeats inside one batch (JSON array and
 * NDJSON) that behave exactly as if the copies had arrived one after another.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractDedupIT extends IntegrationTestSupport {

    private static final Rec ORIGINAL = rec("r-1").time("2026-03-01T12:00:00Z").value("10.50");

    @Test
    final void equivalentSpellingsAreDuplicatesWithNoEffect() {
        Api.Response first = postOne(ORIGINAL);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("recordId").asString()).isEqualTo("r-1");
        assertThat(first.json().get("outcome").asString()).isEqualTo("accepted");

        List<String> spellings = List.of(
                ORIGINAL.number("10.5").json(), // number, shorter scale
                ORIGINAL.value("10.500000").json(), // string, longer scale
                ORIGINAL.number("1.05e1").json(), // exponent
                ORIGINAL.time("2026-03-01T14:00:00+02:00").json(), // other offset, same instant
                ORIGINAL.time("2026-03-01T12:00:00.000000Z").json(), // explicit zero fraction
                ORIGINAL.time("2026-03-01T07:00:00-05:00").number("10.50").json(),
                ORIGINAL.jsonWith("comment", "\"unknown fields are ignored\""));
        for (String spelling : spellings) {
            Api.Response dup = api.postJson("/v1/records", spelling);
            assertThat(dup.status()).as("%s", spelling).isEqualTo(200);
            assertThat(dup.json().get("outcome").asString()).as("%s", spelling).isEqualTo("duplicate");
            assertThat(dup.json().get("recordId").asString()).isEqualTo("r-1");
        }

        assertStoredUnchanged();
        assertThat(count("records")).isEqualTo(1);
        assertThat(Feeds.all(api, "/v1/notifications")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"time", "sourceId", "destinationId", "type", "value", "unit", "reference"})
    final void aConflictNamesTheFieldThatDiffersAndChangesNothing(String field) {
        assertThat(postOne(ORIGINAL).status()).isEqualTo(201);
        Rec changed = switch (field) {
            case "time" -> ORIGINAL.time("2026-03-01T12:00:00.000001Z");
            case "sourceId" -> ORIGINAL.source("payments");
            case "destinationId" -> ORIGINAL.dest("acct-43");
            case "type" -> ORIGINAL.type("negative");
            case "value" -> ORIGINAL.value("10.51");
            case "unit" -> ORIGINAL.unit("sek"); // units are case-sensitive
            case "reference" -> ORIGINAL.ref("INV-1");
            default -> throw new IllegalArgumentException(field);
        };

        Api.Response conflict = postOne(changed);

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().get("recordId").asString()).isEqualTo("r-1");
        assertThat(conflict.json().get("differingFields").get(0).asString()).isEqualTo(field);
        assertThat(conflict.json().get("differingFields")).hasSize(1);
        assertThat(errorFields(conflict.json())).containsExactly(field);
        assertThat(conflict.json().get("detail").asString()).contains(field);
        assertStoredUnchanged();
        assertThat(Feeds.all(api, "/v1/notifications")).hasSize(1);
    }

    @Test
    final void aConflictNamesEveryDifferingFieldInSpecOrder() {
        assertThat(postOne(ORIGINAL).status()).isEqualTo(201);

        Api.Response conflict =
                postOne(ORIGINAL.unit("EUR").value("99").type("negative").time("2026-03-02T12:00:00Z"));

        assertThat(conflict.status()).isEqualTo(409);
        List<String> differing = new ArrayList<>();
        conflict.json().get("differingFields").forEach(f -> differing.add(f.asString()));
        assertThat(differing).containsExactly("time", "type", "value", "unit");
        assertStoredUnchanged();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .as("one notification")
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT record_count FROM summaries", Long.class))
                .isEqualTo(1);
    }

    @Test
    final void aRepeatInsideAJsonArrayBatchBehavesAsIfSequential() {
        assertRepeatsBehaveAsIfSequential(this::postArray);
    }

    @Test
    final void aRepeatInsideAnNdjsonBatchBehavesAsIfSequential() {
        assertRepeatsBehaveAsIfSequential(this::postNdjson);
    }

    @Test
    final void aRepeatAcrossNdjsonChunksBehavesAsIfSequential() {
        // more lines than one NDJSON chunk (tally.ingest.ndjson-chunk, 2000): the repeats land in other chunks
        List<Rec> lines = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            lines.add(rec("n-" + (i % 2100)).value(i < 2100 ? "1" : i % 2 == 0 ? "1.0" : "2"));
        }
        List<String> outcomes = outcomes(postNdjson(lines));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            expected.add(i < 2100 ? "accepted" : i % 2 == 0 ? "duplicate" : "conflict");
        }
        assertThat(outcomes).isEqualTo(expected);
        assertThat(count("records")).isEqualTo(2100);
    }

    @Test
    final void aBatchItemIsComparedWithTheStoredRecordNotWithAnEarlierConflictingCopy() {
        assertThat(postOne(rec("r-9").value("1")).status()).isEqualTo(201);

        List<String> outcomes = outcomes(postArray(List.of(
                rec("r-9").value("2"), // conflict with the stored 1
                rec("r-9").value("1.00"), // duplicate of the stored 1
                rec("r-9").value("2"), // still a conflict: the conflicting copy had no effect
                rec("r-8").value("5"), // accepted
                rec("r-8").value("6"), // conflict with the copy accepted just before
                rec("r-8").value("5.0")))); // duplicate of it

        assertThat(outcomes).containsExactly("conflict", "duplicate", "conflict", "accepted", "conflict", "duplicate");
        assertThat(api.get("/v1/records/r-9").json().get("value").decimalValue())
                .isEqualTo(new BigDecimal("1"));
        assertThat(api.get("/v1/records/r-8").json().get("value").decimalValue())
                .isEqualTo(new BigDecimal("5"));
        assertThat(Feeds.all(api, "/v1/notifications"))
                .extracting(m -> m.get("messageId").asString())
                .containsExactly("r-9", "r-8");
    }

    @Test
    final void aBatchConflictItemNamesTheDifferingFields() {
        Api.Response batch = postArray(List.of(ORIGINAL, ORIGINAL.value("11").ref("inv-2")));

        assertThat(outcomes(batch)).containsExactly("accepted", "conflict");
        JsonNode conflict = batch.json().get("results").get(1);
        assertThat(conflict.get("recordId").asString()).isEqualTo("r-1");
        assertThat(errorFields(conflict)).containsExactly("value", "reference");
        assertThat(batch.json().get("results").get(0).get("errors")).isNull();
    }

    /**
     * Sends a batch with repeats, then replays the same items one POST at a time on an empty
     * database: the outcomes, the stored records and the notifications must be the same.
     */
    private void assertRepeatsBehaveAsIfSequential(Function<List<Rec>, Api.Response> send) {
        List<Rec> items = List.of(
                ORIGINAL, // accepted
                ORIGINAL.number("10.5"), // duplicate: same value
                rec("r-2").value("3"), // accepted
                ORIGINAL.time("2026-03-01T13:00:00+01:00"), // duplicate: same instant
                ORIGINAL.value("10.49"), // conflict: value
                rec("r-2").value("3.000"), // duplicate
                rec("r-3").dest("acct-7"), // accepted
                rec("r-2").ref("inv-9").value("3"), // conflict: reference
                ORIGINAL); // duplicate
        List<String> expected = List.of(
                "accepted",
                "duplicate",
                "accepted",
                "duplicate",
                "conflict",
                "duplicate",
                "accepted",
                "conflict",
                "duplicate");

        Api.Response batch = send.apply(items);
        assertThat(outcomes(batch)).isEqualTo(expected);
        assertThat(errorFields(batch.json().get("results").get(4))).containsExactly("value");
        assertThat(errorFields(batch.json().get("results").get(7))).containsExactly("reference");
        Map<String, String> storedAfterBatch = storedRecords();
        List<String> notificationsAfterBatch = notificationIds();

        Tables.reset(jdbc);
        List<String> sequential = new ArrayList<>();
        for (Rec item : items) {
            Api.Response r = postOne(item);
            sequential.add(
                    r.status() == 409 ? "conflict" : r.json().get("outcome").asString());
        }

        assertThat(sequential).isEqualTo(expected);
        assertThat(storedRecords()).isEqualTo(storedAfterBatch);
        assertThat(notificationIds()).isEqualTo(notificationsAfterBatch).containsExactly("r-1", "r-2", "r-3");
        assertStoredUnchanged();
    }

    private Map<String, String> storedRecords() {
        Map<String, String> stored = new HashMap<>();
        for (String id : jdbc.queryForList("SELECT record_id FROM records", String.class)) {
            stored.put(id, api.get("/v1/records/" + id).body());
        }
        return stored;
    }

    private List<String> notificationIds() {
        return Feeds.all(api, "/v1/notifications").stream()
                .map(m -> m.get("messageId").asString())
                .toList();
    }

    private void assertStoredUnchanged() {
        Api.Response stored = api.get("/v1/records/r-1");
        assertThat(stored.status()).isEqualTo(200);
        JsonNode r = stored.json();
        assertThat(r.get("recordId").asString()).isEqualTo("r-1");
        assertThat(r.get("time").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(r.get("sourceId").asString()).isEqualTo("billing");
        assertThat(r.get("destinationId").asString()).isEqualTo("acct-42");
        assertThat(r.get("type").asString()).isEqualTo("positive");
        assertThat(r.get("value").decimalValue()).isEqualTo(new BigDecimal("10.50"));
        assertThat(stored.body()).contains("\"value\":10.50");
        assertThat(r.get("unit").asString()).isEqualTo("SEK");
        assertThat(r.get("reference").asString()).isEqualTo("inv-1");
    }
}
