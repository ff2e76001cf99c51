package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Feeds;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import dev.tally.support.SummaryModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The summary in every notification (SPEC §3.3–3.4): the records processed BEFORE this one for the
 * same (destinationId, reference), per unit, checked against hand-computed numbers and against the
 * test's own model ({@link SummaryModel}), never against production code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractSummaryIT extends IntegrationTestSupport {

    @Test
    final void eachNotificationCarriesTheSummaryOfTheRecordsBeforeIt() {
        post(rec("s-1").dest("acct-1").ref("inv-1").time("2026-03-02T00:00:00Z").value("10.50"));
        post(rec("s-2")
                .dest("acct-1")
                .ref("inv-1")
                .time("2026-03-01T00:00:00Z")
                .type("negative")
                .value("0.25"));
        post(rec("s-3").dest("acct-1").ref("inv-2").value("5"));
        post(rec("s-4").dest("acct-2").ref("inv-1").value("1"));
        post(rec("s-5")
                .dest("acct-1")
                .ref("inv-1")
                .time("2026-03-03T00:00:00+01:00")
                .unit("EUR")
                .value("2.125"));
        post(rec("s-6").dest("acct-1").ref("inv-1").time("2026-03-02T12:00:00Z").value("1"));

        List<JsonNode> n = Feeds.all(api, "/v1/notifications");
        assertThat(n)
                .extracting(m -> m.get("messageId").asString())
                .containsExactly("s-1", "s-2", "s-3", "s-4", "s-5", "s-6");
        Feeds.assertGapless(n);

        for (int i : new int[] {0, 2, 3}) { // the first record of its (destinationId, reference)
            JsonNode previous = n.get(i).get("summary").get("previous");
            assertThat(previous.get("recordCount").asLong()).isZero();
            assertThat(previous.get("firstTime").isNull()).isTrue();
            assertThat(previous.get("lastTime").isNull()).isTrue();
            assertThat(previous.get("totals")).isEmpty();
        }
        assertThat(n.get(2).get("summary").get("destinationId").asString()).isEqualTo("acct-1");
        assertThat(n.get(2).get("summary").get("reference").asString()).isEqualTo("inv-2");

        JsonNode second = n.get(1).get("summary").get("previous");
        assertThat(second.get("recordCount").asLong()).isEqualTo(1);
        assertThat(second.get("firstTime").asString()).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(second.get("lastTime").asString()).isEqualTo("2026-03-02T00:00:00Z");
        assertTotals(second, 0, "SEK", "10.50", "0", "10.50");

        JsonNode fifth = n.get(4).get("summary").get("previous");
        assertThat(fifth.get("recordCount").asLong()).isEqualTo(2);
        assertThat(fifth.get("firstTime").asString()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(fifth.get("lastTime").asString()).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(fifth.get("totals")).hasSize(1);
        assertTotals(fifth, 0, "SEK", "10.50", "0.25", "10.25");

        JsonNode sixth = n.get(5).get("summary").get("previous");
        assertThat(sixth.get("recordCount").asLong()).isEqualTo(3);
        assertThat(sixth.get("firstTime").asString()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(sixth.get("lastTime").asString()).isEqualTo("2026-03-02T23:00:00Z");
        assertThat(sixth.get("totals")).hasSize(2);
        assertTotals(sixth, unitIndex(sixth, "EUR"), "EUR", "2.125", "0", "2.125");
        assertTotals(sixth, unitIndex(sixth, "SEK"), "SEK", "10.50", "0.25", "10.25");

        JsonNode last = n.get(5);
        assertThat(last.get("type").asString()).isEqualTo("record.processed");
        assertThat(last.get("record").get("recordId").asString()).isEqualTo("s-6");
        assertThat(last.get("record").get("value").decimalValue()).isEqualTo(new BigDecimal("1"));
        assertThat(last.get("processedAt").asString()).endsWith("Z");
    }

    @Test
    final void duplicatesConflictsAndInvalidRecordsDoNotChangeASummary() {
        post(rec("d-1").value("1.5"));
        assertThat(postOne(rec("d-1").number("1.50")).status()).isEqualTo(200);
        assertThat(postOne(rec("d-1").value("100")).status()).isEqualTo(409);
        assertThat(api.postJson("/v1/records", rec("d-x").number("-100").json()).status())
                .isEqualTo(400);
        post(rec("d-2").value("2"));

        JsonNode previous =
                Feeds.all(api, "/v1/notifications").get(1).get("summary").get("previous");
        assertThat(previous.get("recordCount").asLong()).isEqualTo(1);
        assertTotals(previous, 0, "SEK", "1.5", "0", "1.5");
    }

    @Test
    final void summaryTotalsBeyondThirtyEightDigitsStayExact() {
        String nines = "99999999999999999999999999999999999999";
        post(rec("b-1").number(nines));
        post(rec("b-2").value(nines));
        post(rec("b-3").type("negative").value("0.000000000000000001"));
        post(rec("b-4").value("1"));

        JsonNode previous =
                Feeds.all(api, "/v1/notifications").get(3).get("summary").get("previous");
        assertTotals(
                previous,
                0,
                "SEK",
                "199999999999999999999999999999999999998",
                "0.000000000000000001",
                "199999999999999999999999999999999999997.999999999999999999");
    }

    @Test
    final void interleavedDestinationsReferencesAndUnitsMatchAnIndependentModel() {
        Random random = new Random(20260301);
        List<String> destinations = List.of("acct-1", "acct-2", "ACCT-1");
        List<String> references = List.of("inv-1", "inv-2", "INV-1");
        List<String> units = List.of("SEK", "EUR", "sek");
        List<String> values = List.of("0.1", "0.2", "10.50", "3", "0.125", "1000000.000001", "7.0", "0");
        List<Rec> all = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            String time = "2026-03-%02dT%02d:%02d:00Z"
                    .formatted(1 + random.nextInt(28), random.nextInt(24), random.nextInt(60));
            Rec r = rec("m-" + i)
                    .dest(destinations.get(random.nextInt(3)))
                    .ref(references.get(random.nextInt(3)))
                    .unit(units.get(random.nextInt(3)))
                    .type(random.nextBoolean() ? "positive" : "negative")
                    .time(time);
            String v = values.get(random.nextInt(values.size()));
            all.add(random.nextBoolean() ? r.value(v) : r.number(v));
        }
        // send in a mix of single POSTs, JSON-array batches and NDJSON, in list order
        int i = 0;
        int round = 0;
        while (i < all.size()) {
            int size = Math.min(all.size() - i, 1 + (round * 7) % 13);
            List<Rec> part = all.subList(i, i + size);
            switch (round % 3) {
                case 0 -> part.forEach(this::post);
                case 1 -> assertThat(outcomes(postArray(part))).containsOnly("accepted");
                default -> assertThat(outcomes(postNdjson(part))).containsOnly("accepted");
            }
            i += size;
            round++;
        }

        List<JsonNode> notifications = Feeds.all(api, "/v1/notifications");
        assertThat(notifications)
                .extracting(m -> m.get("messageId").asString())
                .containsExactlyElementsOf(all.stream().map(Rec::recordId).toList());
        Feeds.assertGapless(notifications);
        Map<List<String>, SummaryModel> models = new HashMap<>();
        for (int k = 0; k < all.size(); k++) {
            Rec r = all.get(k);
            JsonNode summary = notifications.get(k).get("summary");
            assertThat(summary.get("destinationId").asString()).isEqualTo(r.destinationId());
            assertThat(summary.get("reference").asString()).isEqualTo(r.reference());
            SummaryModel model =
                    models.computeIfAbsent(List.of(r.destinationId(), r.reference()), x -> new SummaryModel());
            model.assertMatches(summary.get("previous"), r.recordId());
            model.add(r);
        }
        assertThat(models.size()).isEqualTo(9);
        assertThat(count("summaries")).isEqualTo(9);
    }

    private void post(Rec r) {
        assertThat(postOne(r).status()).as(r.recordId()).isEqualTo(201);
    }

    private static int unitIndex(JsonNode previous, String unit) {
        JsonNode totals = previous.get("totals");
        for (int i = 0; i < totals.size(); i++) {
            if (totals.get(i).get("unit").asString().equals(unit)) {
                return i;
            }
        }
        throw new AssertionError("no totals for " + unit + " in " + previous);
    }

    private static void assertTotals(
            JsonNode previous, int index, String unit, String positive, String negative, String net) {
        JsonNode t = previous.get("totals").get(index);
        assertThat(t.get("unit").asString()).isEqualTo(unit);
        assertThat(t.get("positive").decimalValue()).isEqualTo(new BigDecimal(positive));
        assertThat(t.get("negative").decimalValue()).isEqualTo(new BigDecimal(negative));
        assertThat(t.get("net").decimalValue()).isEqualTo(new BigDecimal(net));
    }
}
