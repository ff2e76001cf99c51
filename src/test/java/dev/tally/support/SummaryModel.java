package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The tests' own model of a summary, independent of the production {@code Summary}: a count,
 * the earliest and latest time, and per unit the sums of positive and of negative values, as plain
 * BigDecimal arithmetic (an empty sum is 0; a sum keeps the largest scale of its terms, which is
 * what BigDecimal.add does).
 */
public final class SummaryModel {

    private long count;
    private Instant first;
    private Instant last;
    private final Map<String, BigDecimal> positive = new TreeMap<>();
    private final Map<String, BigDecimal> negative = new TreeMap<>();

    public void add(Rec r) {
        count++;
        Instant t = r.instant();
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
        positive.putIfAbsent(r.unit(), BigDecimal.ZERO);
        negative.putIfAbsent(r.unit(), BigDecimal.ZERO);
        Map<String, BigDecimal> side = "negative".equals(r.type()) ? negative : positive;
        side.put(r.unit(), side.get(r.unit()).add(r.value()));
    }

    public long count() {
        return count;
    }

    /** Asserts that a message's {@code summary.previous} is exactly this model (scales included). */
    public void assertMatches(JsonNode previous, String context) {
        assertThat(previous.get("recordCount").asLong())
                .as("%s recordCount", context)
                .isEqualTo(count);
        assertTime(previous.get("firstTime"), first, context + " firstTime");
        assertTime(previous.get("lastTime"), last, context + " lastTime");
        Map<String, BigDecimal[]> actual = new HashMap<>();
        for (JsonNode t : previous.get("totals")) {
            BigDecimal[] before = actual.put(t.get("unit").asString(), new BigDecimal[] {
                t.get("positive").decimalValue(),
                t.get("negative").decimalValue(),
                t.get("net").decimalValue()
            });
            assertThat(before)
                    .as("%s: unit %s listed twice", context, t.get("unit"))
                    .isNull();
        }
        assertThat(actual.keySet()).as("%s units", context).isEqualTo(positive.keySet());
        for (String unit : positive.keySet()) {
            BigDecimal[] a = actual.get(unit);
            BigDecimal p = positive.get(unit);
            BigDecimal n = negative.get(unit);
            assertThat(a[0]).as("%s %s positive", context, unit).isEqualTo(p);
            assertThat(a[1]).as("%s %s negative", context, unit).isEqualTo(n);
            assertThat(a[2]).as("%s %s net", context, unit).isEqualTo(p.subtract(n));
        }
    }

    private static void assertTime(JsonNode node, Instant expected, String context) {
        if (expected == null) {
            assertThat(node == null || node.isNull()).as("%s is null", context).isTrue();
        } else {
            assertThat(Instant.parse(node.asString())).as(context).isEqualTo(expected);
            assertThat(node.asString()).as("%s in UTC", context).endsWith("Z");
        }
    }
}
