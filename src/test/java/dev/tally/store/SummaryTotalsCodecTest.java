package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.UnitTotals;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stored totals of a summary: built directly for plain units, by Jackson otherwise, the same
 * characters either way, and read back to equal values (scale kept).
 */
class SummaryTotalsCodecTest {

    private static UnitTotals totals(String unit, String positive, String negative) {
        return new UnitTotals(unit, new BigDecimal(positive), new BigDecimal(negative));
    }

    @Test
    void byHand() {
        List<UnitTotals> totals = List.of(totals("EUR", "0", "20.00"), totals("SEK", "125.50", "0"));
        assertThat(SummaryStore.encodeTotals(totals))
                .isEqualTo("[{\"unit\":\"EUR\",\"positive\":\"0\",\"negative\":\"20.00\"},"
                        + "{\"unit\":\"SEK\",\"positive\":\"125.50\",\"negative\":\"0\"}]");
        assertThat(SummaryStore.encodeTotals(List.of())).isEqualTo("[]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SEK",
                "m^2 @ 20C",
                "a\"b",
                "back\\slash",
                "a/b",
                "tab\there",
                "\u0001",
                "kr\u00f6na",
                "\u2028",
                "\ud83d\udcb0"
            })
    void everyUnitSpellingMatchesJacksonAndRoundTrips(String unit) {
        List<UnitTotals> totals = List.of(
                totals("A", "1", "2"), totals(unit, "12345678901234567890.123456789012345678", "0.000000000000000001"));
        String encoded = SummaryStore.encodeTotals(totals);
        assertThat(encoded).isEqualTo(SummaryStore.encodeTotalsByJackson(totals));
        assertThat(SummaryStore.decodeTotals(encoded)).isEqualTo(totals);
    }
}
