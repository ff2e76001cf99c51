package dev.tally.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A generator of hostile (and of valid) record payloads for the property-based edge tests. Each
 * case is a valid record with at most ONE thing broken, named by {@link Case#mutation()}, so a
 * failing case is its own minimal reproduction: the mutation says which rule was attacked, and
 * the seed ({@link #seed()}) replays the whole run. Whether a case is valid is decided here from
 * SPEC §2 alone, never by asking the code under test.
 *
 * <p>Sizes go up to {@code maxHugeChars} (the 1,000,000-character strings and numbers that cost
 * seconds of CPU before the edge bounded each field), control characters, unpaired surrogates,
 * wrong JSON types, huge exponents, deep nesting, broken JSON.
 */
public final class Hostile {

    /** What the SPEC says of a case: it must be accepted, it must be refused, or either is lawful. */
    public enum Expect {
        VALID,
        INVALID,
        EITHER
    }

    /**
     * One payload.
     *
     * @param mutation   what was broken ("valid" for a valid record), e.g. {@code value:1000000-digit-string}
     * @param json       the payload text (one line: never a raw newline)
     * @param expect     what the SPEC requires of it
     * @param recordId   the recordId it carries if it is a plain string, else null
     * @param structural whether the text is not one JSON object a parser takes (it cannot be an item of a JSON array)
     */
    public record Case(String mutation, String json, Expect expect, String recordId, boolean structural) {

        @Override
        public String toString() {
            String shown = json.length() > 300 ? json.substring(0, 300) + "... (" + json.length() + " chars)" : json;
            return mutation + " " + expect + ": " + shown;
        }
    }

    private static final String[] FIELDS = {
        "recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference"
    };
    /** Letters of several scripts and a character outside the BMP (a valid surrogate pair). */
    private static final String[] TEXT = {
        "a", "Z", "7", "é", "ß", "ж", "中", "ع", "\uD83D\uDCB0", " ", "-", "_", ";", "."
    };

    private final long seed;
    private final SplittableRandom random;
    private final int maxHugeChars;
    private final String prefix;
    private long next;

    /**
     * @param seed         the run's seed (print it: it replays the run)
     * @param prefix       the start of every recordId generated, unique per test run and channel
     * @param maxHugeChars the longest field text generated (within the transport's own size limit)
     */
    public Hostile(long seed, String prefix, int maxHugeChars) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.maxHugeChars = maxHugeChars;
        this.prefix = prefix;
    }

    public long seed() {
        return seed;
    }

    /** {@code n} cases, about {@code validShare} of them valid records. */
    public List<Case> cases(int n, double validShare) {
        List<Case> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextDouble() < validShare ? valid() : hostile());
        }
        return out;
    }

    /** A valid record with varied but lawful spellings: unicode text, offsets, 38 digits, scale 18. */
    public Case valid() {
        Map<String, String> f = base();
        if (random.nextInt(4) == 0) {
            f.put("note", quote("unknown fields are ignored " + text(1, 40)));
        }
        return new Case("valid", json(f), Expect.VALID, unquote(f.get("recordId")), false);
    }

    /** One hostile case: a valid record with one field attacked, or a payload that is not a record. */
    public Case hostile() {
        int pick = random.nextInt(FIELDS.length + 2);
        if (pick == FIELDS.length) {
            return structural();
        }
        if (pick == FIELDS.length + 1) {
            return extraField();
        }
        String field = FIELDS[pick];
        Map<String, String> f = base();
        Mutation m = switch (field) {
            case "recordId", "sourceId", "destinationId" -> identifier(128);
            case "time" -> time();
            case "type" -> type();
            case "value" -> value();
            case "unit" -> text(32);
            default -> text(256);
        };
        if (m.raw == null) {
            f.remove(field);
        } else {
            f.put(field, m.raw);
        }
        String recordId = "recordId".equals(field) ? null : unquote(f.get("recordId"));
        return new Case(field + ":" + m.name, json(f), m.expect, recordId, false);
    }

    private record Mutation(String name, String raw, Expect expect) {}

    /** recordId, sourceId, destinationId: 1–128 characters, no control characters, a string. */
    private Mutation identifier(int max) {
        return switch (random.nextInt(12)) {
            case 0 -> new Mutation("empty", quote(""), Expect.INVALID);
            case 1 -> new Mutation("max+1", quote("x".repeat(max + 1)), Expect.INVALID);
            case 2 -> huge("huge", n -> quote("y".repeat(n)));
            case 3 -> new Mutation("control-char", quote("a" + (char) (1 + random.nextInt(31)) + "b"), Expect.INVALID);
            case 4 -> new Mutation("nul", quote("a\u0000b"), Expect.INVALID);
            case 5 -> new Mutation("del-c1", quote("a" + (char) (0x7F + random.nextInt(0x21)) + "b"), Expect.INVALID);
            case 6 -> new Mutation("unpaired-surrogate", "\"a\\ud800b\"", Expect.INVALID);
            case 7 -> new Mutation("number", "12345", Expect.INVALID);
            case 8 -> new Mutation("object", "{\"a\":[1,2,{\"b\":null}]}", Expect.INVALID);
            case 9 -> new Mutation("null", "null", Expect.INVALID);
            case 10 -> new Mutation("missing", null, Expect.INVALID);
            default ->
                new Mutation(
                        "huge-number",
                        "9".repeat(10 + random.nextInt(Math.min(maxHugeChars, 100_000))),
                        Expect.INVALID);
        };
    }

    /** unit (1–32) and reference (1–256): a non-empty string of bounded length without NUL. */
    private Mutation text(int max) {
        return switch (random.nextInt(8)) {
            case 0 -> new Mutation("empty", quote(""), Expect.INVALID);
            case 1 -> new Mutation("max+1", quote("u".repeat(max + 1)), Expect.INVALID);
            case 2 -> huge("huge", n -> quote("v".repeat(n)));
            case 3 -> new Mutation("nul", quote("S\u0000K"), Expect.INVALID);
            case 4 -> new Mutation("array", "[\"SEK\"]", Expect.INVALID);
            case 5 -> new Mutation("boolean", "true", Expect.INVALID);
            case 6 -> new Mutation("unpaired-surrogate", "\"\\udc00\"", Expect.INVALID);
            default -> new Mutation("missing", null, Expect.INVALID);
        };
    }

    private Mutation time() {
        return switch (random.nextInt(14)) {
            case 0 -> new Mutation("no-offset", quote("2026-03-01T12:00:00"), Expect.INVALID);
            case 1 -> new Mutation("date-only", quote("2026-03-01"), Expect.INVALID);
            case 2 -> new Mutation("month-13", quote("2026-13-01T00:00:00Z"), Expect.INVALID);
            case 3 -> new Mutation("nanoseconds", quote("2026-03-01T12:00:00.0000001Z"), Expect.INVALID);
            case 4 -> new Mutation("year-10000", quote("+10000-01-01T00:00:00Z"), Expect.INVALID);
            case 5 -> new Mutation("year-0", quote("0000-12-31T23:59:59Z"), Expect.INVALID);
            case 6 -> new Mutation("offset-25h", quote("2026-03-01T12:00:00+25:00"), Expect.INVALID);
            case 7 -> new Mutation("epoch-number", "1772366400", Expect.INVALID);
            case 8 -> huge("huge-digits", n -> quote("2".repeat(n)));
            case 9 -> huge("huge-fraction", n -> quote("2026-03-01T12:00:00." + "1".repeat(n) + "Z"));
            case 10 -> new Mutation("trailing-garbage", quote("2026-03-01T12:00:00Zjunk"), Expect.INVALID);
            case 11 -> new Mutation("empty", quote(""), Expect.INVALID);
            case 12 -> new Mutation("null", "null", Expect.INVALID);
            default -> new Mutation("missing", null, Expect.INVALID);
        };
    }

    private Mutation type() {
        return switch (random.nextInt(9)) {
            case 0 -> new Mutation("capitalised", quote("Positive"), Expect.INVALID);
            case 1 -> new Mutation("upper", quote("NEGATIVE"), Expect.INVALID);
            case 2 -> new Mutation("credit", quote("credit"), Expect.INVALID);
            case 3 -> new Mutation("padded", quote(" positive"), Expect.INVALID);
            case 4 -> new Mutation("empty", quote(""), Expect.INVALID);
            case 5 -> huge("huge", n -> quote("p".repeat(n)));
            case 6 -> new Mutation("number", "1", Expect.INVALID);
            case 7 -> new Mutation("null", "null", Expect.INVALID);
            default -> new Mutation("missing", null, Expect.INVALID);
        };
    }

    /** value: ≥ 0, at most 38 significant digits and scale 18, a JSON number or a JSON string. */
    private Mutation value() {
        boolean asString = random.nextBoolean();
        Function<String, String> spell = t -> asString ? quote(t) : t;
        String how = asString ? "string-" : "number-";
        return switch (random.nextInt(20)) {
            case 0 -> new Mutation(how + "negative", spell.apply("-1.5"), Expect.INVALID);
            case 1 -> new Mutation(how + "39-digits", spell.apply("1".repeat(39)), Expect.INVALID);
            case 2 -> new Mutation(how + "scale-19", spell.apply("0." + "0".repeat(18) + "1"), Expect.INVALID);
            case 3 -> huge(how + "huge-digits", n -> spell.apply("7".repeat(n)));
            case 4 -> huge(how + "huge-fraction", n -> spell.apply("1." + "3".repeat(n)));
            case 5 -> new Mutation(how + "exponent-1e999999999", spell.apply("1e999999999"), Expect.INVALID);
            case 6 -> new Mutation(how + "exponent-1e-999999999", spell.apply("1e-999999999"), Expect.INVALID);
            case 7 -> huge(how + "huge-exponent", n -> spell.apply("1e" + "9".repeat(n)));
            case 8 -> new Mutation(how + "exponent-1e39", spell.apply("1e39"), Expect.INVALID);
            case 9 -> new Mutation("string-NaN", quote("NaN"), Expect.INVALID);
            case 10 -> new Mutation("string-Infinity", quote("Infinity"), Expect.INVALID);
            case 11 -> new Mutation("string-hex", quote("0x1F"), Expect.INVALID);
            case 12 -> new Mutation("string-comma", quote("1,5"), Expect.INVALID);
            case 13 -> new Mutation("string-padded", quote(" 1"), Expect.INVALID);
            case 14 -> new Mutation("string-empty", quote(""), Expect.INVALID);
            case 15 -> new Mutation("string-trailing-dot", quote("1."), Expect.INVALID);
            case 16 -> new Mutation("boolean", "true", Expect.INVALID);
            case 17 -> new Mutation("object", "{\"amount\":1}", Expect.INVALID);
            case 18 -> new Mutation("null", "null", Expect.INVALID);
            default -> new Mutation("missing", null, Expect.INVALID);
        };
    }

    /** Unknown fields are ignored by the SPEC; the edge may still refuse what no parser should take. */
    private Case extraField() {
        Map<String, String> f = base();
        String id = unquote(f.get("recordId"));
        return switch (random.nextInt(4)) {
            case 0 -> {
                f.put("nested", "[".repeat(5) + "1" + "]".repeat(5));
                yield new Case("extra:shallow-nesting", json(f), Expect.VALID, id, false);
            }
            case 1 -> {
                int depth = 2_000 + random.nextInt(Math.max(1, Math.min(maxHugeChars, 200_000)));
                f.put("nested", "[".repeat(depth) + "]".repeat(depth));
                // structural: past the parser's nesting limit the document as a whole is malformed,
                // so it cannot stand beside other items in one JSON array
                yield new Case("extra:deep-nesting-" + depth, json(f), Expect.EITHER, id, true);
            }
            case 2 -> {
                int n = 1_000 + random.nextInt(Math.max(1, maxHugeChars - 1_000));
                f.put("blob", quote("b".repeat(n)));
                yield new Case("extra:huge-string", json(f), Expect.EITHER, id, false);
            }
            default -> {
                f.put("big", "9".repeat(1_000 + random.nextInt(Math.max(1, Math.min(maxHugeChars, 100_000)))));
                yield new Case("extra:huge-number", json(f), Expect.EITHER, id, false);
            }
        };
    }

    /** Payloads that are not one JSON object of a record. */
    private Case structural() {
        String id = prefix + "s-" + (next++);
        String valid = json(base());
        return switch (random.nextInt(9)) {
            case 0 -> {
                int end = 1 + random.nextInt(valid.length() - 1);
                if (Character.isLowSurrogate(valid.charAt(end))) {
                    end--; // cut between code points: a lone surrogate is not text any transport can carry
                }
                yield new Case("structure:truncated", valid.substring(0, end), Expect.INVALID, null, true);
            }
            case 1 -> new Case("structure:not-json", "{\"recordId\": \"" + id + "\", oops", Expect.INVALID, null, true);
            case 2 -> new Case("structure:array", "[" + valid + "]", Expect.INVALID, null, true);
            case 3 -> new Case("structure:number", "42", Expect.INVALID, null, true);
            case 4 -> new Case("structure:string", quote(valid), Expect.INVALID, null, true);
            case 5 -> new Case("structure:null", "null", Expect.INVALID, null, true);
            case 6 -> new Case("structure:two-objects", valid + valid, Expect.INVALID, null, true);
            case 7 -> new Case("structure:empty-object", "{}", Expect.INVALID, null, true);
            default -> new Case("structure:garbage", "#" + text(1, 200), Expect.INVALID, null, true);
        };
    }

    private Mutation huge(String name, Function<Integer, String> make) {
        int n = 10_000 + random.nextInt(Math.max(1, maxHugeChars - 10_000));
        return new Mutation(name + "-" + n, make.apply(n), Expect.INVALID);
    }

    /** A valid record: fields as raw JSON texts, in the usual order. */
    private Map<String, String> base() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("recordId", quote(prefix + (next++) + "-" + text(0, 20)));
        Instant t = Instant.parse("2026-01-01T00:00:00Z")
                .plusSeconds(random.nextLong(365L * 86_400))
                .plusNanos(random.nextInt(1_000_000) * 1_000L);
        int offsetHours = random.nextInt(-12, 15);
        f.put(
                "time",
                quote(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.ofHours(offsetHours)))));
        f.put("sourceId", quote("src-" + text(1, 10)));
        f.put("destinationId", quote("acct-" + random.nextInt(50)));
        f.put("type", quote(random.nextBoolean() ? "positive" : "negative"));
        BigDecimal v = decimal();
        f.put("value", random.nextBoolean() ? quote(v.toPlainString()) : v.toPlainString());
        f.put("unit", quote(random.nextInt(3) == 0 ? "EUR" : random.nextBoolean() ? "SEK" : "u-" + text(1, 20)));
        f.put("reference", quote("ref-" + random.nextInt(20) + text(0, 200)));
        return f;
    }

    /** A lawful decimal: up to 38 significant digits, scale 0–18, often with trailing zeros. */
    private BigDecimal decimal() {
        int scale = random.nextInt(19);
        int digits = 1 + random.nextInt(38);
        StringBuilder unscaled = new StringBuilder();
        unscaled.append(1 + random.nextInt(9));
        for (int i = 1; i < digits; i++) {
            unscaled.append(random.nextInt(10));
        }
        return new BigDecimal(new java.math.BigInteger(unscaled.toString()), Math.min(scale, digits));
    }

    /** Lawful text: {@code min}..{@code max} code points from {@link #TEXT}, never a control character. */
    private String text(int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return b.toString();
    }

    private static String quote(String s) {
        return Rec.quote(s);
    }

    private static String unquote(String json) {
        return Api.JSON.readTree(json).asString();
    }

    private static String json(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
