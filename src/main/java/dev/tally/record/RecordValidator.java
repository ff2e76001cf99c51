package dev.tally.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of SPEC §2, applied to a {@link RawRecord}. Every broken rule is reported (not just the
 * first), each naming its field. Pure Java: no I/O, no framework.
 */
public final class RecordValidator {

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_UNIT_LENGTH = 32;
    public static final int MAX_REFERENCE_LENGTH = 256;
    public static final int MAX_PRECISION = 38;
    public static final int MAX_SCALE = 18;

    /** The earliest and latest instants accepted: both databases store them, and no real ledger needs more. */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * The longest text of a {@code value} that is looked at. Every value the rules accept can be
     * written in 41 characters (38 digits, the point, an exponent is never needed); 100 leaves room
     * for leading zeros and exponent forms. A longer text is refused before anything parses it:
     * {@code new BigDecimal} is quadratic in the number of digits (the figures: docs/architecture.md,
     * "Limits on hostile input").
     */
    public static final int MAX_DECIMAL_TEXT_LENGTH = 100;

    /**
     * The longest {@code time} text that is parsed: the longest ISO-8601 offset date-time the
     * formatter reads in our year range is 38 characters ({@code 2026-03-01T12:00:00.123456789+02:00:00}).
     */
    public static final int MAX_TIME_TEXT_LENGTH = 64;

    /** JSON's number grammar, also accepted inside a string ("125.50"), with leading zeros tolerated. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]{1,4})?");

    private RecordValidator() {}

    public static Validation validate(RawRecord raw) {
        List<FieldError> errors = new ArrayList<>(raw.readErrors());
        String recordId = identifier(raw, "recordId", errors);
        Instant time = instant(raw, "time", errors);
        String sourceId = identifier(raw, "sourceId", errors);
        String destinationId = identifier(raw, "destinationId", errors);
        RecordType type = type(raw, errors);
        BigDecimal value = value(raw, errors);
        String unit = text(raw, "unit", MAX_UNIT_LENGTH, errors);
        String reference = text(raw, "reference", MAX_REFERENCE_LENGTH, errors);
        if (!errors.isEmpty()) {
            return new Validation.Invalid(raw.recordIdOrNull(), errors);
        }
        return new Validation.Valid(
                new TallyRecord(recordId, time, sourceId, destinationId, type, value, unit, reference));
    }

    /**
     * Parses an ISO-8601 instant that carries an offset ({@code Z} or {@code +02:00}); used for
     * record times and for query parameters alike. Returns {@code null} and adds an error otherwise.
     */
    public static Instant parseInstant(String field, String text, List<FieldError> errors) {
        if (text.length() > MAX_TIME_TEXT_LENGTH) {
            // refused unread: the formatter's exception would copy the whole text into its message
            errors.add(new FieldError(
                    field,
                    "must be an ISO-8601 date-time with an offset, such as "
                            + "2026-03-01T12:00:00Z or 2026-03-01T14:00:00+02:00 (at most " + MAX_TIME_TEXT_LENGTH
                            + " characters)"));
            return null;
        }
        Instant instant = UtcTimestamps.parseCanonical(text);
        if (instant == null) {
            try {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(
                        field,
                        "must be an ISO-8601 date-time with an offset, such as "
                                + "2026-03-01T12:00:00Z or 2026-03-01T14:00:00+02:00"));
                return null;
            }
        }
        if (instant.getNano() % 1_000 != 0) {
            errors.add(new FieldError(field, "must have at most microsecond precision (6 fractional digits)"));
            return null;
        }
        if (instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
            errors.add(new FieldError(field, "must be between " + MIN_TIME + " and " + MAX_TIME));
            return null;
        }
        return instant;
    }

    private static RawRecord.Value required(RawRecord raw, String field, List<FieldError> errors) {
        RawRecord.Value v = raw.get(field);
        if (v == null || v.kind() == RawRecord.Kind.NULL) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return v;
    }

    private static String string(RawRecord raw, String field, List<FieldError> errors) {
        RawRecord.Value v = required(raw, field, errors);
        if (v == null) {
            return null;
        }
        if (v.kind() != RawRecord.Kind.STRING) {
            errors.add(new FieldError(field, "must be a JSON string"));
            return null;
        }
        return v.text();
    }

    /** recordId, sourceId, destinationId: 1–128 characters, no control characters. */
    private static String identifier(RawRecord raw, String field, List<FieldError> errors) {
        String s = string(raw, field, errors);
        if (s == null || !lengthOk(field, s, MAX_ID_LENGTH, errors)) {
            return null;
        }
        if (s.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
            return null;
        }
        return s;
    }

    /**
     * unit and reference: only a length rule in the SPEC. NUL is still refused because PostgreSQL
     * cannot store it in text, and unpaired surrogates because they are not Unicode text.
     */
    private static String text(RawRecord raw, String field, int max, List<FieldError> errors) {
        String s = string(raw, field, errors);
        if (s == null || !lengthOk(field, s, max, errors)) {
            return null;
        }
        if (s.indexOf('\u0000') >= 0) {
            errors.add(new FieldError(field, "must not contain the NUL character"));
            return null;
        }
        return s;
    }

    private static boolean lengthOk(String field, String s, int max, List<FieldError> errors) {
        if (s.length() > 2 * max) {
            // more UTF-16 units than max code points can take: refused without scanning the text
            errors.add(
                    new FieldError(field, "must be 1 to " + max + " characters long (was more than " + 2 * max + ")"));
            return false;
        }
        int length = s.codePointCount(0, s.length());
        if (length < 1 || length > max) {
            errors.add(new FieldError(field, "must be 1 to " + max + " characters long (was " + length + ")"));
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                errors.add(new FieldError(field, "must be valid Unicode text (it has an unpaired surrogate)"));
                return false;
            }
        }
        return true;
    }

    private static Instant instant(RawRecord raw, String field, List<FieldError> errors) {
        String s = string(raw, field, errors);
        return s == null ? null : parseInstant(field, s, errors);
    }

    private static RecordType type(RawRecord raw, List<FieldError> errors) {
        String s = string(raw, "type", errors);
        if (s == null) {
            return null;
        }
        RecordType type = RecordType.fromWire(s);
        if (type == null) {
            errors.add(new FieldError("type", "must be exactly \"positive\" or \"negative\""));
        }
        return type;
    }

    private static BigDecimal value(RawRecord raw, List<FieldError> errors) {
        RawRecord.Value v = required(raw, "value", errors);
        if (v == null) {
            return null;
        }
        if (v.kind() != RawRecord.Kind.NUMBER && v.kind() != RawRecord.Kind.STRING) {
            errors.add(new FieldError("value", "must be a decimal, as a JSON number or a JSON string"));
            return null;
        }
        return parseDecimal(v.text(), errors);
    }

    /** Parses a decimal exactly from its text; never through a binary float. */
    static BigDecimal parseDecimal(String text, List<FieldError> errors) {
        if (text.length() > MAX_DECIMAL_TEXT_LENGTH) {
            errors.add(new FieldError(
                    "value",
                    "must have at most " + MAX_PRECISION + " significant digits and "
                            + MAX_SCALE + " after the decimal point (a text of at most " + MAX_DECIMAL_TEXT_LENGTH
                            + " characters)"));
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            errors.add(new FieldError("value", "must be a decimal number such as 125.50"));
            return null;
        }
        BigDecimal value = new BigDecimal(text);
        if (value.signum() < 0) {
            errors.add(new FieldError("value", "must be >= 0 (the sign is carried by type)"));
            return null;
        }
        if (value.signum() == 0 && value.scale() < 0) {
            value = BigDecimal.ZERO;
        }
        if (value.scale() < 0 && (long) value.precision() - value.scale() > MAX_PRECISION) {
            // 1E+9999 would expand to 10,000 digits: refused from precision and scale, never expanded
            errors.add(new FieldError("value", "must have at most " + MAX_PRECISION + " significant digits"));
            return null;
        }
        if (value.scale() < 0) {
            value = value.setScale(0); // 1E+3 is the integer 1000: exact, no rounding
        }
        if (value.scale() > MAX_SCALE) {
            errors.add(new FieldError("value", "must have at most " + MAX_SCALE + " digits after the decimal point"));
            return null;
        }
        if (value.precision() > MAX_PRECISION) {
            errors.add(new FieldError("value", "must have at most " + MAX_PRECISION + " significant digits"));
            return null;
        }
        if (value.signum() == 0 && text.startsWith("-")) {
            value = value.abs(); // -0 is zero
        }
        return value;
    }
}
