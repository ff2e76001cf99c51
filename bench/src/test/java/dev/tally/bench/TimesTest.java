package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class TimesTest {

    private static final Instant ARRIVAL = Instant.parse("2026-12-07T15:35:37.708Z");
    private static final int N = 200_000;

    private static Generator generator(String spread) {
        BenchConfig c = BenchConfig.parse("times=" + spread, "arrival=" + ARRIVAL);
        return new Generator(c.mixed(1000), "s");
    }

    @Test
    void realisticTimesArriveCloseToTheirTimeInTheThreeTiers() {
        Generator g = generator("realistic");
        int hour = 0;
        int week = 0;
        int older = 0;
        for (int i = 0; i < N; i++) {
            Duration age = Duration.between(g.item(i).time(), ARRIVAL);
            assertThat(age).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofDays(90));
            if (age.compareTo(Duration.ofHours(1)) < 0) {
                hour++;
            } else if (age.compareTo(Duration.ofDays(7)) < 0) {
                week++;
            } else {
                older++;
            }
        }
        // 95 / 4 / 1 %; the bounds are about 5 standard deviations of a binomial at N
        assertThat(hour / (double) N).isBetween(0.945, 0.955);
        assertThat(week / (double) N).isBetween(0.0378, 0.0422);
        assertThat(older / (double) N).isBetween(0.0089, 0.0111);
    }

    @Test
    void uniformTimesStayInTheThirtyDaysFromTheEpochWhateverTheArrival() {
        Generator g = generator("uniform");
        Instant end = Instant.parse("2026-03-31T00:00:00Z");
        int firstHalf = 0;
        for (int i = 0; i < N; i++) {
            Instant t = g.item(i).time();
            assertThat(t).isBetween(Instant.parse("2026-03-01T00:00:00Z"), end.minusMillis(1));
            if (t.isBefore(Instant.parse("2026-03-16T00:00:00Z"))) {
                firstHalf++;
            }
        }
        assertThat(firstHalf / (double) N).isBetween(0.49, 0.51);
    }

    @Test
    void copiesKeepTheirOriginalsTimeInBothSpreads() {
        for (String spread : new String[] {"realistic", "uniform"}) {
            Generator g = generator(spread);
            int copies = 0;
            for (int i = 0; i < 20_000; i++) {
                Generator.Item it = g.item(i);
                if (it.kind() == Generator.Kind.DUPLICATE || it.kind() == Generator.Kind.CONFLICT) {
                    assertThat(it.time()).isEqualTo(g.item(it.originalIndex()).time());
                    copies++;
                }
            }
            assertThat(copies).isGreaterThan(500);
        }
    }

    @Test
    void realisticWindowsAreThirtyWholeDaysEndingWithArrivalsDayAndOneWithPartialHours() {
        Times t = new Times(Times.Spread.REALISTIC, ARRIVAL);

        assertThat(t.thirtyDays().from()).isEqualTo(Instant.parse("2026-11-08T00:00:00Z"));
        assertThat(t.thirtyDays().to()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        Times.Window edged = t.edged();
        assertThat(edged.from()).isEqualTo(Instant.parse("2026-11-11T00:20:34.567Z"));
        assertThat(edged.to()).isEqualTo(Instant.parse("2026-12-07T15:15:03.141Z"));
        assertThat(edged.from().truncatedTo(ChronoUnit.HOURS)).isNotEqualTo(edged.from());
        assertThat(edged.to().truncatedTo(ChronoUnit.HOURS)).isNotEqualTo(edged.to());
    }

    @Test
    void uniformWindowsAreTheEarlierOnes() {
        Times t = new Times(Times.Spread.UNIFORM, ARRIVAL);

        assertThat(t.thirtyDays())
                .isEqualTo(
                        new Times.Window(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")));
        assertThat(t.edged())
                .isEqualTo(new Times.Window(
                        Instant.parse("2026-03-04T00:20:34.567Z"), Instant.parse("2026-03-28T00:39:05.089Z")));
    }

    @Test
    void theExpectationSplitsTheStoredRecordsByWindow() {
        Generator g = generator("realistic");
        Expectation e = new Expectation(new Times(Times.Spread.REALISTIC, ARRIVAL));
        Expectation.Scenario s = e.add(g, 50_000);

        long inThirtyDays =
                e.inThirtyDays.values().stream().mapToLong(d -> d.count).sum();
        long edged = e.windowed.values().stream().mapToLong(d -> d.count).sum();
        assertThat(e.storedRecords()).isEqualTo(s.accepted);
        // ~0.73 % are older than the 30 days: 61 of the last tier's 83 days
        assertThat(inThirtyDays).isBetween(Math.round(s.accepted * 0.988), Math.round(s.accepted * 0.996));
        // the edged window ends 20.6 minutes before arrival: about a third of the hour's 95 % is after it
        assertThat(edged).isBetween(Math.round(s.accepted * 0.62), Math.round(s.accepted * 0.68));
    }
}
