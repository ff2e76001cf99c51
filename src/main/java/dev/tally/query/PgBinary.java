package dev.tally.query;

import java.time.LocalDate;

/**
 * Decoders for PostgreSQL's binary COPY format (the {@code send} functions of the types), writing
 * straight into reusable buffers: no {@code BigDecimal}, {@code OffsetDateTime} or {@code String}
 * per value. Each result is the exact text the rest of the API writes for the same value
 * ({@code BigDecimal.toPlainString()} at the record's scale, {@code Instant.toString()}).
 */
final class PgBinary {

    /** Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static final int NUMERIC_NEGATIVE = 0x4000;

    private PgBinary() {}

    static int int16(byte[] b, int at) {
        return (short) (((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
    }

    static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    static long int64(byte[] b, int at) {
        return ((long) int32(b, at) << 32) | (int32(b, at + 4) & 0xffffffffL);
    }

    /** The most characters {@link #plainDecimal} writes for the numeric at {@code at} with {@code scale}. */
    static int maxDecimalChars(byte[] b, int at, int scale) {
        // sign, the integer groups (4 characters each, trailing zero groups included), point, fraction
        return 1 + 4 * (Math.max(int16(b, at + 2), 0) + 1) + 1 + scale;
    }

    /**
     * A {@code numeric} in binary form ({@code ndigits, weight, sign, dscale} then {@code ndigits}
     * base-10000 digits) as plain decimal text with exactly {@code scale} fractional digits, into
     * {@code out} (at least {@link #maxDecimalChars} long); returns the length.
     *
     * @throws IllegalStateException when the value has non-zero digits beyond {@code scale}: the
     *     stored amounts carry zeros past their own scale by construction, so dropping digits would
     *     mean a bug, not a rounding choice
     */
    static int plainDecimal(byte[] b, int at, int scale, char[] out) {
        int ndigits = int16(b, at);
        int weight = int16(b, at + 2);
        int sign = int16(b, at + 4) & 0xffff;
        if (sign != 0 && sign != NUMERIC_NEGATIVE) {
            throw new IllegalStateException("Not a finite numeric (sign 0x" + Integer.toHexString(sign) + ")");
        }
        int digits = at + 8;
        int n = 0;
        if (sign == NUMERIC_NEGATIVE && ndigits > 0) {
            out[n++] = '-';
        }
        // integer part: groups 0..weight, the first without leading zeros
        if (weight < 0 || ndigits == 0) {
            out[n++] = '0';
        } else {
            for (int i = 0; i <= weight; i++) {
                int d = i < ndigits ? int16(b, digits + 2 * i) : 0;
                if (i == 0) {
                    n = writeUnpadded(d, out, n);
                } else {
                    n = write4(d, out, n);
                }
            }
        }
        // fractional part: group weight+k holds the digits 4k-3..4k after the point
        if (scale > 0) {
            out[n++] = '.';
        }
        int written = 0;
        int group = weight + 1;
        while (written < scale || group < ndigits) {
            int d = group >= 0 && group < ndigits ? int16(b, digits + 2 * group) : 0;
            for (int div = 1000; div > 0; div /= 10) {
                int digit = d / div % 10;
                if (written < scale) {
                    out[n++] = (char) ('0' + digit);
                } else if (digit != 0) {
                    throw new IllegalStateException("A stored numeric has non-zero digits beyond its scale " + scale);
                }
                written++;
            }
            group++;
        }
        return n;
    }

    private static int writeUnpadded(int d, char[] out, int n) {
        if (d >= 1000) {
            out[n++] = (char) ('0' + d / 1000);
        }
        if (d >= 100) {
            out[n++] = (char) ('0' + d / 100 % 10);
        }
        if (d >= 10) {
            out[n++] = (char) ('0' + d / 10 % 10);
        }
        out[n++] = (char) ('0' + d % 10);
        return n;
    }

    private static int write4(int d, char[] out, int n) {
        out[n++] = (char) ('0' + d / 1000);
        out[n++] = (char) ('0' + d / 100 % 10);
        out[n++] = (char) ('0' + d / 10 % 10);
        out[n++] = (char) ('0' + d % 10);
        return n;
    }

    /**
     * Formats {@code timestamptz} values (microseconds since 2000-01-01 UTC) as
     * {@code Instant.toString()} does: {@code yyyy-MM-ddTHH:mm:ss}, the fraction in groups of three
     * digits only when non-zero, then {@code Z}. Years must be 0001..9999 (what the API accepts).
     * Keeps the last day's text: one instance per stream, not thread-safe.
     */
    static final class TimeFormat {

        static final int MAX_CHARS = 27; // 2026-03-01T12:00:00.000001Z

        private long cachedDay = Long.MIN_VALUE;
        private final char[] day = new char[11]; // yyyy-MM-ddT

        int format(long pgMicros, char[] out) {
            long micros = pgMicros + PG_EPOCH_SECONDS * 1_000_000L;
            long seconds = Math.floorDiv(micros, 1_000_000L);
            int micro = (int) Math.floorMod(micros, 1_000_000L);
            long epochDay = Math.floorDiv(seconds, 86_400L);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
            if (epochDay != cachedDay) {
                LocalDate d = LocalDate.ofEpochDay(epochDay);
                int year = d.getYear();
                if (year < 1 || year > 9999) {
                    throw new IllegalStateException("A stored time outside years 0001-9999: day " + epochDay);
                }
                write4(year, day, 0);
                day[4] = '-';
                write2(d.getMonthValue(), day, 5);
                day[7] = '-';
                write2(d.getDayOfMonth(), day, 8);
                day[10] = 'T';
                cachedDay = epochDay;
            }
            System.arraycopy(day, 0, out, 0, 11);
            write2(secondOfDay / 3600, out, 11);
            out[13] = ':';
            write2(secondOfDay / 60 % 60, out, 14);
            out[16] = ':';
            write2(secondOfDay % 60, out, 17);
            int n = 19;
            if (micro != 0) {
                out[n++] = '.';
                if (micro % 1000 == 0) {
                    n = write3(micro / 1000, out, n);
                } else {
                    n = write3(micro / 1000, out, n);
                    n = write3(micro % 1000, out, n);
                }
            }
            out[n++] = 'Z';
            return n;
        }

        private static void write2(int v, char[] out, int at) {
            out[at] = (char) ('0' + v / 10);
            out[at + 1] = (char) ('0' + v % 10);
        }

        private static int write3(int v, char[] out, int n) {
            out[n++] = (char) ('0' + v / 100);
            out[n++] = (char) ('0' + v / 10 % 10);
            out[n++] = (char) ('0' + v % 10);
            return n;
        }
    }
}
