package dev.tally.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the generated records' {@code time}s are spread (bench key {@code times}), and the two
 * aggregation windows the totals checks read for that spread.
 *
 * <ul>
 *   <li>{@code uniform}: uniform over the 30 days from {@link Generator#EPOCH}, whatever the day the
 *       bench runs (the spread of the earlier figures: every record folds into a different hour).
 *   <li>{@code realistic}: records arrive close to their time. Arrival is {@link #arrival}, the
 *       run's start, for every item: an item is then a pure function of (seed, prefix, index) like
 *       every other field, so the expectation, the COPY baseline and the service see the same
 *       items. {@link #REALISTIC}: 95 % less than an hour before arrival, 4 % between an hour and 7
 *       days before, 1 % between 7 and 90 days before. No time is after arrival.
 * </ul>
 *
 * @param arrival the instant realistic times are drawn back from (unused by uniform)
 */
record Times(Spread spread, Instant arrival) {

    enum Spread {
        UNIFORM,
        REALISTIC
    }

    /** One tier of the realistic spread: {@code share} of the records, [from, to) seconds before arrival. */
    record Tier(double share, long fromSeconds, long toSeconds) {}

    static final List<Tier> REALISTIC = List.of(
            new Tier(0.95, 0, 3_600), new Tier(0.04, 3_600, 7 * 86_400), new Tier(0.01, 7 * 86_400, 90 * 86_400));

    /** An aggregation window, {@code from} inclusive, {@code to} exclusive. */
    record Window(Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }

        String query() {
            return "?includeRecords=false&from=" + from + "&to=" + to;
        }
    }

    Times {
        // Whole milliseconds: the wrk driver's Lua script computes times in milliseconds too.
        arrival = arrival.truncatedTo(ChronoUnit.MILLIS);
    }

    static Times parse(String spread, Instant arrival) {
        return switch (spread) {
            case "uniform" -> new Times(Spread.UNIFORM, arrival);
            case "realistic" -> new Times(Spread.REALISTIC, arrival);
            default -> throw new IllegalArgumentException("times=" + spread + " is neither realistic nor uniform");
        };
    }

    String key() {
        return spread.name().toLowerCase(Locale.ROOT);
    }

    /** A record's time from its random stream; uniform draws exactly what the generator always drew. */
    Instant draw(SplittableRandom r) {
        if (spread == Spread.UNIFORM) {
            return Generator.EPOCH
                    .plusSeconds(r.nextLong(Generator.WINDOW_SECONDS))
                    .plusMillis(r.nextInt(1000));
        }
        Tier tier = tier(r.nextDouble());
        return beforeArrival(tier, r.nextLong(tier.toSeconds() - tier.fromSeconds()), r.nextInt(1000));
    }

    /** The realistic tier of a uniform draw {@code q} in [0, 1). */
    static Tier tier(double q) {
        double below = 0;
        for (Tier t : REALISTIC) {
            below += t.share();
            if (q < below) {
                return t;
            }
        }
        return REALISTIC.get(REALISTIC.size() - 1);
    }

    /** {@code second} in [0, the tier's width) and {@code milli} in [0, 1000): the time that far into the tier. */
    Instant beforeArrival(Tier tier, long second, int milli) {
        return arrival.minusSeconds(tier.fromSeconds() + second).minusMillis(milli);
    }

    /**
     * The "30 days" totals window: the generator's 30 days (uniform: every record), or the 30 whole
     * UTC days that end with arrival's day (realistic: all but the oldest ~0.7 %).
     */
    Window thirtyDays() {
        if (spread == Spread.UNIFORM) {
            return new Window(Generator.EPOCH, Generator.EPOCH.plusSeconds(Generator.WINDOW_SECONDS));
        }
        Instant end = arrival.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        return new Window(end.minus(30, ChronoUnit.DAYS), end);
    }

    /**
     * A window whose ends are not on whole hours, so that the service's hourly totals must be
     * completed from records at both edges. Realistic: its end is 20 minutes before arrival,
     * inside the 95 % tier, so that edge hour has many records on both sides.
     */
    Window edged() {
        Instant from = thirtyDays().from().plusSeconds(3 * 86_400 + 1_234).plusMillis(567);
        if (spread == Spread.UNIFORM) {
            return new Window(
                    from, Generator.EPOCH.plusSeconds(27 * 86_400 + 2_345).plusMillis(89));
        }
        return new Window(from, arrival.minusMillis(1_234_567));
    }

    /** One line for the report: which distribution ran. */
    String describe() {
        if (spread == Spread.UNIFORM) {
            return "record times: uniform over the 30 days from " + Generator.EPOCH;
        }
        return "record times: realistic, arrival = the run's start " + arrival
                + ": 95 % < 1 h before it, 4 % 1 h - 7 days before, 1 % 7 - 90 days before";
    }
}
