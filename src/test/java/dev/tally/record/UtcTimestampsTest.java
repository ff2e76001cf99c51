package dev.tally.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path must agree with {@code ISO_OFFSET_DATE_TIME} on everything it accepts, and accept the canonical form. */
class UtcTimestampsTest {

    private static Instant formatter(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-01T12:00:00Z",
                "2026-03-01T12:00:00.1Z",
                "2026-03-01T12:00:00.123456Z",
                "2026-03-01T12:00:00.123456789Z",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z",
                "2024-02-29T23:59:59Z",
                "2000-02-29T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.5Z"
            })
    void theCanonicalFormIsParsedLikeTheFormatter(String text) {
        assertThat(UtcTimestamps.parseCanonical(text)).isNotNull().isEqualTo(formatter(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-02-29T00:00:00Z",
                "1900-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
                "2026-01-00T00:00:00Z",
                "2026-01-01T24:00:00Z",
                "2026-01-01T23:60:00Z",
                "2026-01-01T23:59:60Z",
                "2026-01-01T12:00:00.Z",
                "2026-01-01T12:00:00.1234567890Z",
                "2026-01-01T12:00:00,5Z",
                "2026-01-01t12:00:00z",
                "2026-01-01T12:00:00+00:00",
                "2026-01-01T12:00Z",
                "+2026-01-01T12:00:00Z",
                "2026-1-01T12:00:00Z",
                "2026-01-01T12:00:0xZ",
                "2026-01-01 12:00:00Z",
                "",
                "Z",
                "2026-01-01T12:00:00ZZ",
                "٢٠٢٦-01-01T12:00:00Z"
            })
    void everythingElseIsLeftToTheFormatter(String text) {
        assertThat(UtcTimestamps.parseCanonical(text)).isNull();
    }

    @Test
    void randomMutationsOfTheCanonicalFormNeverDisagreeWithTheFormatter() {
        Random random = new Random(7);
        String alphabet = "0123456789-:TZ.+ z";
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            char[] c = "2024-02-29T23:59:59.123456Z".toCharArray();
            int length = 20 + random.nextInt(c.length - 19);
            char[] t = java.util.Arrays.copyOf(c, length);
            t[length - 1] = 'Z';
            for (int k = random.nextInt(3); k > 0; k--) {
                t[random.nextInt(length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String text = new String(t);
            Instant fast = UtcTimestamps.parseCanonical(text);
            if (fast != null) {
                accepted++;
                assertThat(fast).as(text).isEqualTo(formatter(text));
            }
        }
        assertThat(accepted).isGreaterThan(2_500);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-01T12:00:00Z",
                "2026-03-01T12:00:00.100Z",
                "2026-03-01T12:00:00.000001Z",
                "2026-03-01T12:00:00.000000001Z",
                "2026-03-01T12:00:00.120Z",
                "2026-03-01T12:00:00.123450Z",
                "0000-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "1969-12-31T23:59:59.5Z",
                "1970-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z",
                "2024-02-29T00:00:00.010Z"
            })
    void formatWritesWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);
        assertThat(UtcTimestamps.format(instant)).isEqualTo(instant.toString());
    }

    @Test
    void formatAgreesWithInstantToStringOnRandomInstants() {
        Random random = new Random(11);
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = min + (long) (random.nextDouble() * (max - min));
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            assertThat(UtcTimestamps.format(instant)).isEqualTo(instant.toString());
        }
    }
}
