package dev.tally.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A deterministic, seeded source of records. Item {@code i} of a scenario is a pure function of
 * (seed, scenario prefix, i), so any item can be regenerated on demand and the whole stream is
 * never held in memory.
 *
 * <p>Kinds: an ORIGINAL (a new recordId), a DUPLICATE (an exact copy of an earlier original),
 * a CONFLICT (an earlier original's recordId with a different value) or an INVALID item (a type
 * that is neither positive nor negative). Duplicates and conflicts only refer to originals of the
 * same block of {@code blockSize} items, so that the outcome of every item is known in advance
 * when blocks are sent concurrently (a block is one batch request, or is routed so that all copies
 * of one recordId go through one client in order).
 */
final class Generator {

    enum Kind {
        ORIGINAL,
        DUPLICATE,
        CONFLICT,
        INVALID
    }

    static final Instant EPOCH = Instant.parse("2026-03-01T00:00:00Z");
    static final long WINDOW_SECONDS = 30L * 24 * 3600;
    static final String[] UNITS = {"SEK", "EUR", "USD", "NOK", "DKK", "GBP", "CHF", "PLN"};

    record Params(
            long seed,
            int destinations,
            int referencesPerDestination,
            int units,
            double duplicateShare,
            double conflictShare,
            double invalidShare,
            double overThresholdShare,
            int blockSize,
            Times times) {}

    /** One generated item; {@code originalIndex} is the index of the original a copy refers to (itself for an original). */
    record Item(
            int index,
            Kind kind,
            int originalIndex,
            String recordId,
            Instant time,
            String destinationId,
            boolean positive,
            BigDecimal value,
            String unit,
            String reference) {

        String json() {
            StringBuilder b = new StringBuilder(256);
            b.append("{\"recordId\":\"")
                    .append(recordId)
                    .append("\",\"time\":\"")
                    .append(time)
                    .append("\",\"sourceId\":\"bench\",\"destinationId\":\"")
                    .append(destinationId)
                    .append("\",\"type\":\"")
                    .append(kind == Kind.INVALID ? "sideways" : positive ? "positive" : "negative")
                    .append("\",\"value\":\"")
                    .append(value.toPlainString())
                    .append("\",\"unit\":\"")
                    .append(unit)
                    .append("\",\"reference\":\"")
                    .append(reference)
                    .append("\"}");
            return b.toString();
        }

        byte[] jsonBytes() {
            return json().getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Params p;
    private final String prefix;
    private final long scenarioSeed;

    Generator(Params params, String prefix) {
        this.p = params;
        this.prefix = prefix;
        this.scenarioSeed = params.seed() * 1_000_003L + prefix.hashCode();
    }

    String prefix() {
        return prefix;
    }

    private SplittableRandom rnd(int i, int salt) {
        return new SplittableRandom(scenarioSeed * 31 + (long) i * 7919 + salt);
    }

    Kind kindOf(int i) {
        double u = rnd(i, 1).nextDouble();
        if (u < p.invalidShare()) {
            return Kind.INVALID;
        }
        u -= p.invalidShare();
        if (u < p.duplicateShare()) {
            return originalBefore(i) < 0 ? Kind.ORIGINAL : Kind.DUPLICATE;
        }
        u -= p.duplicateShare();
        if (u < p.conflictShare()) {
            return originalBefore(i) < 0 ? Kind.ORIGINAL : Kind.CONFLICT;
        }
        return Kind.ORIGINAL;
    }

    /** An original earlier in i's block that a copy at i refers to, or -1 if there is none. */
    private int originalBefore(int i) {
        int blockStart = i - i % p.blockSize();
        if (i == blockStart) {
            return -1;
        }
        int j = blockStart + rnd(i, 2).nextInt(i - blockStart);
        for (; j >= blockStart; j--) {
            if (isOriginalKind(j)) {
                return j;
            }
        }
        return -1;
    }

    /** Without recursion: a duplicate/conflict draw that finds no original became an original. */
    private boolean isOriginalKind(int j) {
        double u = rnd(j, 1).nextDouble();
        if (u < p.invalidShare()) {
            return false;
        }
        u -= p.invalidShare();
        if (u < p.duplicateShare() + p.conflictShare()) {
            // a copy unless its own block had nothing before it; a rare case, resolved exactly
            int blockStart = j - j % p.blockSize();
            if (j == blockStart) {
                return true;
            }
            int k = blockStart + rnd(j, 2).nextInt(j - blockStart);
            for (; k >= blockStart; k--) {
                if (isOriginalKind(k)) {
                    return false;
                }
            }
            return true;
        }
        return true;
    }

    Item item(int i) {
        Kind kind = kindOf(i);
        return switch (kind) {
            case ORIGINAL -> original(i);
            case INVALID -> {
                Item o = original(i);
                yield new Item(
                        i,
                        Kind.INVALID,
                        i,
                        prefix + "-x" + i,
                        o.time(),
                        o.destinationId(),
                        o.positive(),
                        o.value(),
                        o.unit(),
                        o.reference());
            }
            case DUPLICATE -> {
                Item o = original(originalBefore(i));
                yield new Item(
                        i,
                        kind,
                        o.index(),
                        o.recordId(),
                        o.time(),
                        o.destinationId(),
                        o.positive(),
                        o.value(),
                        o.unit(),
                        o.reference());
            }
            case CONFLICT -> {
                Item o = original(originalBefore(i));
                yield new Item(
                        i,
                        kind,
                        o.index(),
                        o.recordId(),
                        o.time(),
                        o.destinationId(),
                        o.positive(),
                        o.value().add(BigDecimal.ONE),
                        o.unit(),
                        o.reference());
            }
        };
    }

    private Item original(int i) {
        SplittableRandom r = rnd(i, 3);
        int destination = r.nextInt(p.destinations());
        String reference = "ref-" + r.nextInt(p.referencesPerDestination());
        String unit = UNITS[r.nextInt(Math.min(p.units(), UNITS.length))];
        boolean positive = r.nextInt(4) != 0;
        long cents = r.nextDouble() < p.overThresholdShare()
                ? 1_000_001 + r.nextLong(9_000_000) // 10,000.01 .. 99,999.99: above the default threshold
                : 1 + r.nextLong(999_999); // 0.01 .. 9,999.99
        BigDecimal value = BigDecimal.valueOf(cents, 2);
        Instant time = p.times().draw(r); // the last draw: the other fields do not depend on the spread
        return new Item(
                i, Kind.ORIGINAL, i, prefix + "-" + i, time, "acct-" + destination, positive, value, unit, reference);
    }
}
