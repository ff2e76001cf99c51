package dev.tally.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.RawRecord.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of SPEC §2 on {@link RecordValidator}, without HTTP or a database. */
class RecordValidatorTest {

    // ---- valid records -------------------------------------------------------------------

    @Test
    void aValidRecordKeepsEveryFieldExactly() {
        TallyRecord r = valid(raw());

        assertThat(r.recordId()).isEqualTo("r-1");
        assertThat(r.time()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(r.sourceId()).isEqualTo("billing");
        assertThat(r.destinationId()).isEqualTo("acct-42");
        assertThat(r.type()).isEqualTo(RecordType.POSITIVE);
        assertThat(r.value()).isEqualTo(new BigDecimal("125.50")); // equals(): scale 2 kept
        assertThat(r.unit()).isEqualTo("SEK");
        assertThat(r.reference()).isEqualTo("inv-2026-001");
    }

    @Test
    void aTimeWithAnOffsetIsStoredAsTheSameInstantInUtc() {
        TallyRecord r = valid(raw(f -> f.put("time", str("2026-03-01T14:00:00+02:00"))));
        assertThat(r.time()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));

        TallyRecord west = valid(raw(f -> f.put("time", str("2026-03-01T07:30:00-04:30"))));
        assertThat(west.time()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void microsecondPrecisionIsAccepted() {
        TallyRecord r = valid(raw(f -> f.put("time", str("2026-03-01T12:00:00.123456Z"))));
        assertThat(r.time()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
    }

    @Test
    void aNegativeTypeIsAccepted() {
        assertThat(valid(raw(f -> f.put("type", str("negative")))).type()).isEqualTo(RecordType.NEGATIVE);
    }

    @Test
    void aJsonNumberValueKeepsItsExactDecimalText() {
        assertThat(valid(raw(f -> f.put("value", num("0.1")))).value()).isEqualTo(new BigDecimal("0.1"));
        assertThat(valid(raw(f -> f.put("value", num("10.50")))).value()).isEqualTo(new BigDecimal("10.50"));
        assertThat(valid(raw(f -> f.put("value", num("0")))).value()).isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void thirtyEightSignificantDigitsAndScaleEighteenAreAccepted() {
        String digits38 = "12345678901234567890.123456789012345678"; // 20 + 18 digits
        assertThat(valid(raw(f -> f.put("value", num(digits38)))).value()).isEqualTo(new BigDecimal(digits38));
        assertThat(valid(raw(f -> f.put("value", str(digits38)))).value()).isEqualTo(new BigDecimal(digits38));

        String scale18 = "0.000000000000000001";
        assertThat(valid(raw(f -> f.put("value", num(scale18)))).value()).isEqualTo(new BigDecimal(scale18));
    }

    @Test
    void anExponentIsReadExactly() {
        assertThat(valid(raw(f -> f.put("value", num("1.5E+2")))).value()).isEqualByComparingTo("150");
        assertThat(valid(raw(f -> f.put("value", str("25e-2")))).value()).isEqualByComparingTo("0.25");
    }

    @Test
    void lengthsAtTheUpperBoundAreAccepted() {
        TallyRecord r = valid(raw(f -> {
            f.put("recordId", str("r".repeat(128)));
            f.put("sourceId", str("s".repeat(128)));
            f.put("destinationId", str("d".repeat(128)));
            f.put("unit", str("u".repeat(32)));
            f.put("reference", str("x".repeat(256)));
        }));
        assertThat(r.recordId()).hasSize(128);
        assertThat(r.reference()).hasSize(256);
    }

    @Test
    void lengthsCountCharactersNotBytes() {
        TallyRecord r = valid(raw(f -> {
            f.put("recordId", str("é".repeat(128)));
            f.put("unit", str("€".repeat(32)));
        }));
        assertThat(r.recordId()).isEqualTo("é".repeat(128));
    }

    @Test
    void theUnitIsCaseSensitive() {
        assertThat(valid(raw(f -> f.put("unit", str("sek")))).unit()).isEqualTo("sek");
    }

    // ---- invalid records: each rule names its field ----------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference"})
    void aMissingFieldIsNamed(String field) {
        assertInvalid(raw(f -> f.remove(field)), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference"})
    void aNullFieldIsNamed(String field) {
        assertInvalid(raw(f -> f.put(field, new RawRecord.Value(Kind.NULL, null))), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "time", "sourceId", "destinationId", "type", "unit", "reference"})
    void aStringFieldGivenAsANumberIsNamed(String field) {
        assertInvalid(raw(f -> f.put(field, num("1"))), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference"})
    void aFieldGivenAsAnObjectOrBooleanIsNamed(String field) {
        assertInvalid(raw(f -> f.put(field, new RawRecord.Value(Kind.OTHER, null))), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "sourceId", "destinationId"})
    void identifiersMustBeOneTo128Characters(String field) {
        assertInvalid(raw(f -> f.put(field, str(""))), field);
        assertInvalid(raw(f -> f.put(field, str("a".repeat(129)))), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId", "sourceId", "destinationId"})
    void identifiersMustNotHoldControlCharacters(String field) {
        for (String control : List.of("\u0000", "\u0001", "\t", "\n", "\u001f", "\u007f", "\u0085")) {
            assertInvalid(raw(f -> f.put(field, str("a" + control + "b"))), field);
        }
    }

    @Test
    void theUnitMustBeOneTo32Characters() {
        assertInvalid(raw(f -> f.put("unit", str(""))), "unit");
        assertInvalid(raw(f -> f.put("unit", str("u".repeat(33)))), "unit");
    }

    @Test
    void theReferenceMustBeOneTo256Characters() {
        assertInvalid(raw(f -> f.put("reference", str(""))), "reference");
        assertInvalid(raw(f -> f.put("reference", str("x".repeat(257)))), "reference");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Positive", "POSITIVE", "Negative", "credit", "", " positive", "positive "})
    void theTypeIsExactlyPositiveOrNegative(String type) {
        assertInvalid(raw(f -> f.put("type", str(type))), "type");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-01T12:00:00", // no offset
                "2026-03-01", // a date
                "2026-03-01 12:00:00Z", // not ISO-8601
                "1772366400", // epoch seconds
                "2026-03-01T12:00:00.1234567Z", // 7 fractional digits
                "2026-03-01T12:00:00.123456789Z", // nanoseconds
                "2026-02-30T12:00:00Z", // no such day
                "yesterday",
                ""
            })
    void theTimeMustBeAnInstantWithOffsetAndAtMostMicroseconds(String time) {
        assertInvalid(raw(f -> f.put("time", str(time))), "time");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-1",
                "-0.01", // negative
                "123456789012345678901234567890123456789", // 39 significant digits
                "1234567890123456789.0123456789012345678", // 39 significant digits with a fraction
                "0.0000000000000000001", // scale 19
                "1.0000000000000000000"
            }) // scale 19
    void outOfRangeNumbersAreRejected(String number) {
        assertInvalid(raw(f -> f.put("value", num(number))), "value");
        assertInvalid(raw(f -> f.put("value", str(number))), "value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", " 1", "1 ", "1,5", "1.", ".5", "+1", "0x1A", "NaN", "Infinity", "1e", "10 SEK"})
    void aValueStringThatIsNotADecimalIsRejected(String text) {
        assertInvalid(raw(f -> f.put("value", str(text))), "value");
    }

    @Test
    void everyBrokenRuleIsReportedTogetherWithTheRecordId() {
        Validation v = RecordValidator.validate(raw(f -> {
            f.put("time", str("2026-03-01T12:00:00"));
            f.put("type", str("credit"));
            f.put("value", num("-5"));
            f.remove("unit");
        }));

        assertThat(v).isInstanceOf(Validation.Invalid.class);
        Validation.Invalid invalid = (Validation.Invalid) v;
        assertThat(invalid.recordId()).isEqualTo("r-1");
        assertThat(invalid.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("time", "type", "value", "unit");
        assertThat(invalid.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    @Test
    void aFieldGivenTwiceIsInvalid() {
        RawRecord raw = raw();
        raw.put("value", num("1"));
        assertInvalid(raw, "value");
    }

    // ---- fixtures --------------------------------------------------------------------------

    /** A mutable field list from which a RawRecord is built, so each test changes only what it tests. */
    private static final class Fields {
        final java.util.LinkedHashMap<String, RawRecord.Value> values = new java.util.LinkedHashMap<>();

        void put(String field, RawRecord.Value v) {
            values.put(field, v);
        }

        void remove(String field) {
            values.remove(field);
        }
    }

    private static RawRecord raw() {
        return raw(f -> {});
    }

    private static RawRecord raw(Consumer<Fields> change) {
        Fields f = new Fields();
        f.put("recordId", str("r-1"));
        f.put("time", str("2026-03-01T12:00:00Z"));
        f.put("sourceId", str("billing"));
        f.put("destinationId", str("acct-42"));
        f.put("type", str("positive"));
        f.put("value", str("125.50"));
        f.put("unit", str("SEK"));
        f.put("reference", str("inv-2026-001"));
        change.accept(f);
        RawRecord raw = new RawRecord();
        f.values.forEach(raw::put);
        return raw;
    }

    private static RawRecord.Value str(String text) {
        return new RawRecord.Value(Kind.STRING, text);
    }

    private static RawRecord.Value num(String text) {
        return new RawRecord.Value(Kind.NUMBER, text);
    }

    private static TallyRecord valid(RawRecord raw) {
        Validation v = RecordValidator.validate(raw);
        assertThat(v).as("validation of a valid record").isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) v).record();
    }

    private static void assertInvalid(RawRecord raw, String field) {
        Validation v = RecordValidator.validate(raw);
        assertThat(v).as("validation expected to reject %s", field).isInstanceOf(Validation.Invalid.class);
        assertThat(((Validation.Invalid) v).errors())
                .extracting(FieldError::field)
                .containsExactly(field);
    }
}
