package dev.tally.record;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A fast path for the one spelling of a time that nearly every producer sends,
 * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}: {@code OffsetDateTime.parse} with
 * {@code ISO_OFFSET_DATE_TIME} was the HTTP threads' largest single cost (docs/performance.md,
 * item 5). Anything else, valid or not, returns {@code null} and is left
 * to the formatter, so the accepted language and the error messages are the formatter's;
 * {@code UtcTimestampsTest} checks the two agree.
 */
final class UtcTimestamps {

    /** The days {@link #format} writes itself: years 0000–9999, four digits without a sign. */
    private static final long MIN_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();

    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private UtcTimestamps() {}

    /** The instant {@code text} denotes when it has the canonical UTC form, else {@code null}. */
    static Instant parseCanonical(String text) {
        int n = text.length();
        if (n < 20
                || n > 30
                || text.charAt(n - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            nanos = digits(text, 20, fractionDigits);
            if (nanos < 0) {
                return null;
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay(); // rejects 02-30, 2025-02-29, month 13
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /**
     * {@code instant.toString()}, the same characters, without {@code DateTimeFormatter} (the writer
     * thread's largest cost of its own when it formatted every stored time that way;
     * docs/performance.md, item 6): years 0000–9999
     * as {@code yyyy-MM-ddTHH:mm:ss}, the fraction in groups of three digits only when non-zero, then
     * {@code Z}. Other years are left to {@code Instant.toString()}.
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int nano = instant.getNano();
        char[] out = new char[30];
        write(date.getYear(), 4, out, 0);
        out[4] = '-';
        write(date.getMonthValue(), 2, out, 5);
        out[7] = '-';
        write(date.getDayOfMonth(), 2, out, 8);
        out[10] = 'T';
        write(secondOfDay / 3_600, 2, out, 11);
        out[13] = ':';
        write(secondOfDay / 60 % 60, 2, out, 14);
        out[16] = ':';
        write(secondOfDay % 60, 2, out, 17);
        int n = 19;
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                n = write(nano / 1_000_000, 3, out, n);
            } else if (nano % 1_000 == 0) {
                n = write(nano / 1_000, 6, out, n);
            } else {
                n = write(nano, 9, out, n);
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits at {@code at}; returns the end. */
    private static int write(int value, int width, char[] out, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
