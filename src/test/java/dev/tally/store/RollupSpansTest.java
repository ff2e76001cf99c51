package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.AggregationFilter.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How a totals-only window is cut into rollup buckets. The expected spans are worked out by hand
 * (2026-03-01 is a Sunday, so the weeks start on 2026-03-02, 03-09, 03-16, 03-23, 03-30).
 */
class RollupSpansTest {

    private static Instant t(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static Span span(Rollup level, String from, String to) {
        return new Span(level, t(from), t(to));
    }

    private static List<Span> spans(String from, String to) {
        return AggregationFilter.spans(t(from), t(to)).orElseThrow();
    }

    @Test
    void theBenchWindowWithPartialHoursReadsEachLevelOnlyWhereTheNextCannot() {
        assertThat(spans("2026-03-04T00:20:34.567Z", "2026-03-28T00:39:05.089Z"))
                .containsExactlyInAnyOrder(
                        span(null, "2026-03-04T00:20:34.567Z", "2026-03-04T01:00:00Z"),
                        span(null, "2026-03-28T00:00:00Z", "2026-03-28T00:39:05.089Z"),
                        span(Rollup.HOUR, "2026-03-04T01:00:00Z", "2026-03-05T00:00:00Z"),
                        span(Rollup.DAY, "2026-03-05T00:00:00Z", "2026-03-09T00:00:00Z"),
                        span(Rollup.DAY, "2026-03-23T00:00:00Z", "2026-03-28T00:00:00Z"),
                        span(Rollup.WEEK, "2026-03-09T00:00:00Z", "2026-03-23T00:00:00Z"));
    }

    @Test
    void thirtyWholeDaysAreTwoDaysAndFourWeeks() {
        assertThat(spans("2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"))
                .containsExactlyInAnyOrder(
                        span(Rollup.DAY, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"),
                        span(Rollup.DAY, "2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z"),
                        span(Rollup.WEEK, "2026-03-02T00:00:00Z", "2026-03-30T00:00:00Z"));
    }

    @Test
    void windowsShorterThanTheNextLevelStayAtTheirLevel() {
        assertThat(spans("2026-03-01T10:30:00Z", "2026-03-01T13:10:00Z"))
                .containsExactlyInAnyOrder(
                        span(null, "2026-03-01T10:30:00Z", "2026-03-01T11:00:00Z"),
                        span(null, "2026-03-01T13:00:00Z", "2026-03-01T13:10:00Z"),
                        span(Rollup.HOUR, "2026-03-01T11:00:00Z", "2026-03-01T13:00:00Z"));
        // across midnight, no whole day
        assertThat(spans("2026-03-01T22:00:00Z", "2026-03-02T01:00:00Z"))
                .containsExactly(span(Rollup.HOUR, "2026-03-01T22:00:00Z", "2026-03-02T01:00:00Z"));
        // across a Monday, no whole week
        assertThat(spans("2026-03-07T00:00:00Z", "2026-03-11T00:00:00Z"))
                .containsExactly(span(Rollup.DAY, "2026-03-07T00:00:00Z", "2026-03-11T00:00:00Z"));
    }

    @Test
    void openEndsUseTheCoarsestLevel() {
        assertThat(spans(null, null)).containsExactly(span(Rollup.WEEK, null, null));
        assertThat(spans(null, "2026-03-10T05:30:00Z"))
                .containsExactlyInAnyOrder(
                        span(null, "2026-03-10T05:00:00Z", "2026-03-10T05:30:00Z"),
                        span(Rollup.HOUR, "2026-03-10T00:00:00Z", "2026-03-10T05:00:00Z"),
                        span(Rollup.DAY, "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
                        span(Rollup.WEEK, null, "2026-03-09T00:00:00Z"));
        assertThat(spans("2026-03-08T23:00:00Z", null))
                .containsExactlyInAnyOrder(
                        span(Rollup.HOUR, "2026-03-08T23:00:00Z", "2026-03-09T00:00:00Z"),
                        span(Rollup.WEEK, "2026-03-09T00:00:00Z", null));
    }

    @Test
    void aWindowWithoutAWholeHourIsNotForTheRollups() {
        assertThat(AggregationFilter.spans(t("2026-03-01T10:10:00Z"), t("2026-03-01T10:50:00Z")))
                .isEmpty();
        assertThat(AggregationFilter.spans(t("2026-03-01T10:10:00Z"), t("2026-03-01T11:50:00Z")))
                .isEmpty();
    }

    @Test
    void randomWindowsArePartitionedIntoWholeBuckets() {
        Random random = new Random(7);
        Instant base = Instant.parse("2025-12-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            Instant from = base.plusSeconds(random.nextInt(200 * 86_400)).plusNanos(random.nextInt(3) * 1000L);
            Instant to = from.plusSeconds(random.nextInt(random.nextBoolean() ? 86_400 : 60 * 86_400) + 1);
            if (random.nextInt(4) == 0) {
                from = Rollup.values()[random.nextInt(3)].floor(from);
            }
            List<Span> spans = AggregationFilter.spans(from, to).orElse(null);
            if (spans == null) {
                assertThat(Rollup.HOUR.ceil(from)).isAfterOrEqualTo(Rollup.HOUR.floor(to));
                continue;
            }
            List<Span> sorted = new ArrayList<>(spans);
            sorted.sort(Comparator.comparing(Span::from));
            Instant next = from;
            for (Span s : sorted) {
                assertThat(s.from()).as("%s..%s: %s", from, to, spans).isEqualTo(next);
                assertThat(s.from()).isBefore(s.to());
                if (s.level() != null) {
                    assertThat(s.level().floor(s.from())).isEqualTo(s.from());
                    assertThat(s.level().floor(s.to())).isEqualTo(s.to());
                }
                next = s.to();
            }
            assertThat(next).isEqualTo(to);
        }
    }

    @Test
    void weeksStartOnMondayAtMidnightUtc() {
        assertThat(Rollup.WEEK.floor(t("2026-03-01T23:59:59.999999Z"))).isEqualTo(t("2026-02-23T00:00:00Z"));
        assertThat(Rollup.WEEK.floor(t("2026-03-02T00:00:00Z"))).isEqualTo(t("2026-03-02T00:00:00Z"));
        assertThat(Rollup.WEEK.floor(t("1970-01-01T00:00:00Z"))).isEqualTo(t("1969-12-29T00:00:00Z"));
        assertThat(Rollup.WEEK.ceil(t("2026-03-02T00:00:00.000001Z"))).isEqualTo(t("2026-03-09T00:00:00Z"));
    }
}
