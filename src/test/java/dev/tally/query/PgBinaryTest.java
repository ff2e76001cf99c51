package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PgBinary} against the JDK: numerics written as {@code BigDecimal.toPlainString()} at the
 * requested scale, times as {@code Instant.toString()}. The binary numerics are built here from the
 * format's definition (PostgreSQL's {@code numeric_send}), independently of the decoder.
 */
class PgBinaryTest {

    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    @Test
    void numericsAreWrittenInPlainNotationAtTheGivenScale() {
        List<String> values = new ArrayList<>(List.of(
                "0",
                "1",
                "10",
                "10000",
                "100000000",
                "12345.6789",
                "0.5",
                "0.000000000000000001",
                "99999999999999999999.999999999999999999",
                "99999999999999999999999999999999999999",
                "299999999999999999999999999999999999997.000000000000000001",
                "100000000000000000000000000000000000000000000",
                "0.0001",
                "0.00010",
                "123.450",
                "7",
                "-3.25",
                "-0.0001"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int scale = random.nextInt(19);
            values.add(
                    new BigDecimal(new java.math.BigInteger(random.nextInt(120) + 1, random), scale).toPlainString());
        }
        for (String text : values) {
            BigDecimal value = new BigDecimal(text);
            byte[] stored = send(value.setScale(18, RoundingMode.UNNECESSARY)); // NUMERIC(56, 18) keeps 18
            for (int scale : new int[] {value.scale(), Math.max(value.scale(), 2), 18}) {
                assertThat(decode(stored, scale))
                        .as(text + " at scale " + scale)
                        .isEqualTo(
                                value.setScale(scale, RoundingMode.UNNECESSARY).toPlainString());
            }
            assertThat(decode(send(value), value.scale())).as(text + " as sent").isEqualTo(value.toPlainString());
        }
    }

    @Test
    void droppingNonZeroDigitsIsAnError() {
        assertThatThrownBy(() -> decode(send(new BigDecimal("1.05")), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decode(send(new BigDecimal("0.000000000000000001")), 17))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void timesAreWrittenAsInstantToString() {
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("2026-03-01T12:00:00.120Z"),
                Instant.parse("2026-03-01T12:00:00.000001Z"),
                Instant.parse("2026-03-01T12:00:00.100100Z"),
                Instant.parse("2024-02-29T23:59:59Z")));
        Random random = new Random(7);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 50_000; i++) {
            Instant t = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)));
            instants.add(
                    switch (i % 3) {
                        case 0 -> t;
                        case 1 -> t.plus(random.nextInt(1000), ChronoUnit.MILLIS);
                        default -> t.plus(random.nextInt(1_000_000), ChronoUnit.MICROS);
                    });
        }
        PgBinary.TimeFormat format = new PgBinary.TimeFormat();
        char[] out = new char[PgBinary.TimeFormat.MAX_CHARS];
        for (Instant t : instants) {
            long pgMicros = (t.getEpochSecond() - PG_EPOCH.getEpochSecond()) * 1_000_000L + t.getNano() / 1_000;
            assertThat(new String(out, 0, format.format(pgMicros, out))).isEqualTo(t.toString());
        }
    }

    private static String decode(byte[] numeric, int scale) {
        char[] out = new char[PgBinary.maxDecimalChars(numeric, 0, scale)];
        return new String(out, 0, PgBinary.plainDecimal(numeric, 0, scale, out));
    }

    /** numeric_send: ndigits, weight, sign, dscale (int16 each), then base-10000 digits, no leading or trailing zero groups. */
    private static byte[] send(BigDecimal value) {
        String plain = value.abs().toPlainString();
        int point = plain.indexOf('.');
        String integer = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : plain.substring(point + 1);
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        List<Integer> groups = new ArrayList<>();
        for (int i = 0; i < integer.length(); i += 4) {
            groups.add(Integer.parseInt(integer.substring(i, i + 4)));
        }
        for (int i = 0; i < fraction.length(); i += 4) {
            groups.add(Integer.parseInt(fraction.substring(i, i + 4)));
        }
        int weight = integer.length() / 4 - 1;
        while (!groups.isEmpty() && groups.get(0) == 0) {
            groups.remove(0);
            weight--;
        }
        while (!groups.isEmpty() && groups.get(groups.size() - 1) == 0) {
            groups.remove(groups.size() - 1);
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int16(out, groups.size());
        int16(out, weight);
        int16(out, value.signum() < 0 ? 0x4000 : 0);
        int16(out, Math.max(value.scale(), 0));
        groups.forEach(d -> int16(out, d));
        return out.toByteArray();
    }

    private static void int16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }
}
