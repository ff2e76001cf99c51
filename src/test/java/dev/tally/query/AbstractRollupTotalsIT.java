package dev.tally.query;

import static dev.tally.support.TestData.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code includeRecords=false} answers from the hourly totals (V3) plus records at the window's
 * partial hours; they must equal the totals of a plain scan of the records, for every kind of
 * window. Run against each database by the subclasses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractHourlyTotalsIT extends IntegrationTestSupport {

    private void postRecords() {
        String batch = "[" + String.join(",",
                record("h-1", "2026-03-01T10:15:00Z", "acct-1", "positive", "\"10.50\"", "SEK", "inv-1"),
                record("h-2", "2026-03-01T11:30:00Z", "acct-1", "negative", "\"2.25\"", "SEK", "inv-1"),
                record("h-3", "2026-03-01T13:05:00Z", "acct-1", "positive", "\"1.125\"", "SEK", "inv-2"),
                record("h-4", "2026-03-01T11:59:59.999999Z", "acct-2", "positive", "7", "EUR", "inv-3"),
                record("h-5", "2026-03-02T00:00:00Z", "acct-2", "positive", "\"3.0\"", "EUR", "inv-3")) + "]";
        Api.Response r = api.postJson("/v1/records/batch", batch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("accepted").asLong()).isEqualTo(5);
    }

    @Test
    void partialHoursAtBothEdgesAreTakenFromRecords() {
        postRecords();
        // Whole hours 11:00-13:00 from the hourly totals, 10:30-11:00 and 13:00-13:10 from records.
        JsonNode groups = totals("from=2026-03-01T10:30:00Z&to=2026-03-01T13:10:00Z");
        assertThat(groups.size()).isEqualTo(2);
        assertGroup(groups.get(0), "acct-1", 2, "SEK", "1.125", "2.25", "-1.125");
        assertGroup(groups.get(1), "acct-2", 1, "EUR", "7", "0", "7");
    }

    @Test
    void totalsOnlyEqualTheRecordScanForEveryKindOfWindow() {
        postRecords();
        for (String window : List.of("", "from=2026-03-01T11:00:00Z&to=2026-03-02T00:00:00Z",
                "from=2026-03-01T10:10:00Z&to=2026-03-01T10:20:00Z", "from=2026-03-01T10:30:00Z",
                "to=2026-03-01T12:00:00Z", "to=2026-03-02T00:00:00.000001Z", "type=negative",
                "from=2026-03-01T09:00:00Z&unit=EUR", "destinationId=acct-1&to=2026-03-01T13:00:00Z",
                "reference=inv-1&from=2026-03-01T10:00:00Z")) {
            String q = window.isEmpty() ? "" : window + "&";
            assertThat(summary(totals(q + "includeRecords=false")))
                    .as(window)
                    .isEqualTo(summary(totals(q + "includeRecords=true")));
        }
        assertGroup(totals("").get(0), "acct-1", 3, "SEK", "11.625", "2.25", "9.375");
        assertGroup(totals("").get(1), "acct-2", 2, "EUR", "10.0", "0", "10.0");
    }

    private JsonNode totals(String query) {
        String q = query.contains("includeRecords") ? query : (query.isEmpty() ? "" : query + "&") + "includeRecords=false";
        Api.Response r = api.get("/v1/aggregations?" + q);
        assertThat(r.status()).as(q).isEqualTo(200);
        return r.json().get("groups");
    }

    /** Destination, count and per-unit totals, numbers compared by value. */
    private static List<String> summary(JsonNode groups) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : groups) {
            StringBuilder b = new StringBuilder(g.get("destinationId").asString()).append(' ')
                    .append(g.get("recordCount").asLong());
            for (JsonNode t : g.get("totals")) {
                b.append(' ').append(t.get("unit").asString())
                        .append(' ').append(t.get("positive").decimalValue().stripTrailingZeros().toPlainString())
                        .append(' ').append(t.get("negative").decimalValue().stripTrailingZeros().toPlainString())
                        .append(' ').append(t.get("net").decimalValue().stripTrailingZeros().toPlainString());
            }
            out.add(b.toString());
        }
        return out;
    }

    private static void assertGroup(JsonNode g, String destination, long count, String unit, String positive,
            String negative, String net) {
        assertThat(g.get("destinationId").asString()).isEqualTo(destination);
        assertThat(g.get("recordCount").asLong()).isEqualTo(count);
        assertThat(g.get("totals").size()).isEqualTo(1);
        JsonNode t = g.get("totals").get(0);
        assertThat(t.get("unit").asString()).isEqualTo(unit);
        assertThat(t.get("positive").decimalValue()).isEqualByComparingTo(new BigDecimal(positive));
        assertThat(t.get("negative").decimalValue()).isEqualByComparingTo(new BigDecimal(negative));
        assertThat(t.get("net").decimalValue()).isEqualByComparingTo(new BigDecimal(net));
    }
}
