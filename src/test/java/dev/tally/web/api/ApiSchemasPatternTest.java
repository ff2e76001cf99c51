package dev.tally.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.RawRecord;
import dev.tally.record.RawRecord.Kind;
import dev.tally.record.RecordValidator;
import dev.tally.record.Validation;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document's patterns for a record say no more than the validator takes: a generator
 * that follows them (as an OpenAPI fuzzer does) makes values Tally accepts, and the characters they
 * exclude are the ones the validator refuses. The patterns are ECMA-262 regexes; these use only
 * what Java's regexes read the same way.
 */
class ApiSchemasPatternTest {

    private static final Pattern DECIMAL = Pattern.compile(ApiSchemas.DECIMAL_PATTERN);
    private static final Pattern TIME = Pattern.compile(ApiSchemas.TIME_PATTERN);
    private static final Pattern NO_CONTROL = Pattern.compile(ApiSchemas.NO_CONTROL_CHARACTERS);
    private static final Pattern NO_NUL = Pattern.compile(ApiSchemas.NO_NUL);
    private final SplittableRandom random = new SplittableRandom(20261207);

    @Test
    void everyDecimalThePatternAllowsIsAccepted() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s =
                    new StringBuilder(random.nextBoolean() ? "0" : digitsStartingNonZero(random.nextInt(1, 21)));
            int decimals = random.nextInt(0, 19);
            if (decimals > 0) {
                s.append('.').append(digits(decimals));
            }
            assertThat(DECIMAL.matcher(s).matches()).as(s.toString()).isTrue();
            assertThat(validate(Map.of("value", s.toString())))
                    .as("value %s", s)
                    .isInstanceOf(Validation.Valid.class);
        }
        assertThat(DECIMAL.matcher("-1").matches()).isFalse();
        assertThat(DECIMAL.matcher("1." + "0".repeat(19)).matches()).isFalse();
        assertThat(DECIMAL.matcher("1".repeat(21)).matches()).isFalse();
    }

    @Test
    void everyTimeThePatternAllowsWithinTheRangeIsAccepted() {
        for (int i = 0; i < 5_000; i++) {
            String fraction = random.nextBoolean() ? "" : "." + digits(random.nextInt(1, 7));
            String offset = random.nextBoolean()
                    ? (random.nextBoolean() ? "Z" : "z")
                    : String.format(
                            "%s%02d:%02d",
                            random.nextBoolean() ? "+" : "-", random.nextInt(0, 18), random.nextInt(0, 60));
            String t = String.format(
                    "%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
                    random.nextInt(1000, 9999),
                    random.nextInt(1, 13),
                    random.nextInt(1, 29),
                    random.nextBoolean() ? "T" : "t",
                    random.nextInt(0, 24),
                    random.nextInt(0, 60),
                    random.nextInt(0, 60),
                    fraction,
                    offset);
            assertThat(TIME.matcher(t).matches()).as(t).isTrue();
            assertThat(validate(Map.of("time", t))).as("time %s", t).isInstanceOf(Validation.Valid.class);
        }
        assertThat(TIME.matcher("2026-03-01T12:00:00.1234567Z").matches()).isFalse();
        assertThat(TIME.matcher("2026-03-01T12:00:00").matches()).isFalse();
    }

    @Test
    void theCharactersThePatternsExcludeAreTheOnesRefused() {
        for (int c = 0; c < 0x200; c++) {
            String s = "a" + (char) c + "b";
            boolean control = Character.isISOControl(c);
            assertThat(NO_CONTROL.matcher(s).matches()).as("U+%04X in an id", c).isEqualTo(!control);
            assertThat(validate(Map.of("recordId", s)) instanceof Validation.Valid)
                    .as("recordId with U+%04X", c)
                    .isEqualTo(!control);
            assertThat(NO_NUL.matcher(s).matches()).as("U+%04X in a unit", c).isEqualTo(c != 0);
            assertThat(validate(Map.of("unit", s, "reference", s)) instanceof Validation.Valid)
                    .as("unit and reference with U+%04X", c)
                    .isEqualTo(c != 0);
        }
    }

    private String digitsStartingNonZero(int n) {
        return (char) ('1' + random.nextInt(9)) + digits(n - 1);
    }

    private String digits(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    /** A valid record with the given fields replaced (all as JSON strings). */
    private static Validation validate(Map<String, String> fields) {
        RawRecord raw = new RawRecord();
        Map<String, String> base = Map.of(
                "recordId", "r-1",
                "time", "2026-03-01T12:00:00Z",
                "sourceId", "billing",
                "destinationId", "acct-42",
                "type", "positive",
                "value", "125.50",
                "unit", "SEK",
                "reference", "inv-2026-001");
        base.forEach((k, v) -> raw.put(k, new RawRecord.Value(Kind.STRING, fields.getOrDefault(k, v))));
        return RecordValidator.validate(raw);
    }
}
