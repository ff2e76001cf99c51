package dev.tally.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Summary#fold} and {@link UnitTotals}, checked against hand-computed numbers. */
class SummaryTest {

    @Test
    void theEmptySummaryHasNoCountTimesOrTotals() {
        assertThat(Summary.EMPTY.recordCount()).isZero();
        assertThat(Summary.EMPTY.firstTime()).isNull();
        assertThat(Summary.EMPTY.lastTime()).isNull();
        assertThat(Summary.EMPTY.totals()).isEmpty();
    }

    @Test
    void foldingOneRecordCountsItAndLeavesTheOtherSumZero() {
        Summary s = Summary.EMPTY.fold(rec("a", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "10.50", "SEK"));

        assertThat(s.recordCount()).isEqualTo(1);
        assertThat(s.firstTime()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(s.lastTime()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(s.totals()).containsExactly(totals("SEK", "10.50", "0"));
        assertThat(s.totals().get(0).net()).isEqualTo(new BigDecimal("10.50"));
    }

    @Test
    void totalsAreExactAndKeepTheLargestScaleOfTheirTerms() {
        Summary s = Summary.EMPTY
                .fold(rec("a", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "0.1", "SEK"))
                .fold(rec("b", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "0.2", "SEK"))
                .fold(rec("c", "2026-03-01T12:00:00Z", RecordType.NEGATIVE, "1", "SEK"))
                .fold(rec("d", "2026-03-01T12:00:00Z", RecordType.NEGATIVE, "0.250", "SEK"));

        UnitTotals sek = s.totals().get(0);
        assertThat(sek.positive()).isEqualTo(new BigDecimal("0.3"));
        assertThat(sek.negative()).isEqualTo(new BigDecimal("1.250"));
        assertThat(sek.net()).isEqualTo(new BigDecimal("-0.950"));
    }

    @Test
    void unitsAreKeptApartCaseSensitivelyAndListedInCodePointOrder() {
        Summary s = Summary.EMPTY
                .fold(rec("a", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "5", "sek"))
                .fold(rec("b", "2026-03-01T12:00:00Z", RecordType.NEGATIVE, "2.5", "SEK"))
                .fold(rec("c", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "7", "EUR"))
                .fold(rec("d", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "1.25", "sek"));

        assertThat(s.recordCount()).isEqualTo(4);
        assertThat(s.totals())
                .containsExactly(totals("EUR", "7", "0"), totals("SEK", "0", "2.5"), totals("sek", "6.25", "0"));
        assertThat(s.totals().get(1).net()).isEqualTo(new BigDecimal("-2.5"));
    }

    @Test
    void firstAndLastTimeAreTheEarliestAndLatestRecordTimeNotTheFoldOrder() {
        Summary s = Summary.EMPTY
                .fold(rec("a", "2026-03-05T00:00:00Z", RecordType.POSITIVE, "1", "SEK"))
                .fold(rec("b", "2026-03-01T00:00:00Z", RecordType.POSITIVE, "1", "SEK"))
                .fold(rec("c", "2026-03-09T00:00:00Z", RecordType.POSITIVE, "1", "SEK"))
                .fold(rec("d", "2026-03-03T00:00:00Z", RecordType.POSITIVE, "1", "SEK"));

        assertThat(s.firstTime()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(s.lastTime()).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    }

    @Test
    void foldReturnsANewSummaryAndLeavesTheOldOneUnchanged() {
        Summary one = Summary.EMPTY.fold(rec("a", "2026-03-01T12:00:00Z", RecordType.POSITIVE, "1", "SEK"));
        Summary two = one.fold(rec("b", "2026-03-02T12:00:00Z", RecordType.POSITIVE, "2", "SEK"));

        assertThat(one.recordCount()).isEqualTo(1);
        assertThat(one.totals()).containsExactly(totals("SEK", "1", "0"));
        assertThat(two.totals()).containsExactly(totals("SEK", "3", "0"));
        assertThat(Summary.EMPTY.recordCount()).isZero();
    }

    @Test
    void anInconsistentSummaryCannotBeBuilt() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        assertThatThrownBy(() -> new Summary(0, t, t, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, null, null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(-1, null, null, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unitTotalsAddByTypeAndNetIsPositiveMinusNegative() {
        UnitTotals zero = UnitTotals.zero("SEK");
        assertThat(zero.positive()).isEqualTo(BigDecimal.ZERO);
        assertThat(zero.negative()).isEqualTo(BigDecimal.ZERO);
        assertThat(zero.net()).isEqualTo(BigDecimal.ZERO);

        UnitTotals t = zero.plus(RecordType.POSITIVE, new BigDecimal("125.50"))
                .plus(RecordType.NEGATIVE, new BigDecimal("20.00"))
                .plus(RecordType.NEGATIVE, new BigDecimal("0.005"));
        assertThat(t.positive()).isEqualTo(new BigDecimal("125.50"));
        assertThat(t.negative()).isEqualTo(new BigDecimal("20.005"));
        assertThat(t.net()).isEqualTo(new BigDecimal("105.495"));
        assertThat(zero.positive()).isEqualTo(BigDecimal.ZERO); // immutable
    }

    private static TallyRecord rec(String id, String time, RecordType type, String value, String unit) {
        return new TallyRecord(
                id, Instant.parse(time), "billing", "acct-1", type, new BigDecimal(value), unit, "inv-1");
    }

    private static UnitTotals totals(String unit, String positive, String negative) {
        return new UnitTotals(unit, new BigDecimal(positive), new BigDecimal(negative));
    }
}
