package dev.tally.record;

import io.micrometer.tracing.TraceContext;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The W3C {@code traceparent} header (https://www.w3.org/TR/trace-context/) that a record came in
 * with, kept as text from ingest to the published message. Only version {@code 00}, in its
 * canonical lower-case form, with a non-zero trace id and parent id, is kept: anything else is
 * dropped, never stored or forwarded.
 */
public final class TraceParent {

    /** {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}: 55 characters. */
    private static final Pattern VERSION_00 = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);

    private TraceParent() {}

    public static boolean isValid(@Nullable String value) {
        return value != null
                && value.length() == 55
                && VERSION_00.matcher(value).matches()
                && !value.startsWith(ZERO_TRACE, 3)
                && !value.startsWith(ZERO_PARENT, 36);
    }

    /** {@code value} if it is a valid traceparent, else null. */
    public static @Nullable String orNull(@Nullable String value) {
        return isValid(value) ? value : null;
    }

    /** The traceparent of a span context; null if the ids are not W3C's (then nothing is forwarded). */
    public static @Nullable String of(String traceId, String spanId, boolean sampled) {
        return orNull("00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00"));
    }

    /** The traceparent of the current span's context ({@code null}: no span, nothing forwarded). */
    public static @Nullable String of(@Nullable TraceContext context) {
        return context == null ? null : of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }
}
