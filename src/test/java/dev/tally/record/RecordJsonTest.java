package dev.tally.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * {@link RecordJson#summaryJson} writes the characters Jackson's generator writes for the same
 * summary ({@link RecordJson#writeSummary}), for plain units (built directly) and for units that
 * need escaping (left to Jackson).
 */
class RecordJsonTest {

    private static String viaGenerator(Summary s) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            RecordJson.writeSummary(g, s);
        }
        return out.toString();
    }

    private static UnitTotals totals(String unit, String positive, String negative) {
        return new UnitTotals(unit, new BigDecimal(positive), new BigDecimal(negative));
    }

    @Test
    void theEmptySummary() {
        assertThat(RecordJson.summaryJson(Summary.EMPTY))
                .isEqualTo("{\"recordCount\":0,\"firstTime\":null,\"lastTime\":null,\"totals\":[]}")
                .isEqualTo(viaGenerator(Summary.EMPTY));
    }

    @Test
    void aSummaryWithTwoUnitsByHand() {
        Summary s = new Summary(
                3,
                Instant.parse("2026-03-01T12:00:00Z"),
                Instant.parse("2026-03-02T00:00:00.5Z"),
                List.of(totals("EUR", "0", "20.00"), totals("SEK", "125.50", "0.000000000000000001")));
        assertThat(RecordJson.summaryJson(s))
                .isEqualTo(
                        "{\"recordCount\":3,\"firstTime\":\"2026-03-01T12:00:00Z\","
                                + "\"lastTime\":\"2026-03-02T00:00:00.500Z\",\"totals\":["
                                + "{\"unit\":\"EUR\",\"positive\":0,\"negative\":20.00,\"net\":-20.00},"
                                + "{\"unit\":\"SEK\",\"positive\":125.50,\"negative\":0.000000000000000001,\"net\":125.499999999999999999}]}")
                .isEqualTo(viaGenerator(s));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SEK",
                "kWh",
                "m^2 @ 20C",
                "a\"b",
                "back\\slash",
                "a/b",
                "tab\there",
                "line\nfeed",
                "\u0001",
                "\u007f",
                "kr\u00f6na",
                "\u20ac",
                "\u2028",
                "\ud83d\udcb0",
                "</script>",
                "{}[],:"
            })
    void everyUnitSpellingMatchesTheGenerator(String unit) {
        Summary s = new Summary(
                12,
                Instant.parse("1970-01-01T00:00:00.000001Z"),
                Instant.parse("9999-12-31T23:59:59Z"),
                List.of(totals("A", "1", "2"), totals(unit, "99999999999999999999.999999999999999999", "1E-18")));
        assertThat(RecordJson.summaryJson(s)).isEqualTo(viaGenerator(s));
    }

    @Test
    void plainIsPrintableAsciiWithoutQuoteBackslashOrSlash() {
        assertThat(RecordJson.isPlain("SEK 1.5-x_y~")).isTrue();
        assertThat(RecordJson.isPlain("a\"")).isFalse();
        assertThat(RecordJson.isPlain("a\\")).isFalse();
        assertThat(RecordJson.isPlain("a/")).isFalse();
        assertThat(RecordJson.isPlain("\u001f")).isFalse();
        assertThat(RecordJson.isPlain("\u007f")).isFalse();
        assertThat(RecordJson.isPlain("\u00e9")).isFalse();
    }
}
