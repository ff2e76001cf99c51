package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FmtTest {

    @Test
    void percentilesAreNearestRankOverTheReadValues() {
        long[] ns = {5, -1, 1, 4, 2, 3, -1, 6, 7, 8, 9, 10};

        assertThat(Fmt.pctNs(ns, 50)).isEqualTo(5);
        assertThat(Fmt.pctNs(ns, 99)).isEqualTo(10);
        assertThat(Fmt.pctNs(ns, 10)).isEqualTo(1);
        assertThat(Fmt.pctNs(new long[] {-1, -1}, 50)).isEqualTo(-1);
    }

    @Test
    void figuresAreWrittenAsTheTableShowsThem() {
        assertThat(Fmt.rate(12_345.6)).isEqualTo("12,346");
        assertThat(Fmt.mb(2_048_000)).isEqualTo("2,000 MB");
        assertThat(Fmt.mb(-1)).isEqualTo("n/a");
        assertThat(Fmt.ms(12_340_000)).isEqualTo("12.3 ms");
    }
}
