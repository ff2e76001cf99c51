package dev.tally.store;

import dev.tally.record.TraceParent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message as the write transaction stores it in the {@code outbox} table. An alert carries its
 * whole JSON ({@code payload}); a notification carries only the JSON of its {@code summary.previous}
 * ({@code summaryPrevious}), because everything else in it is the record, stored beside it in the
 * same transaction. {@link OutboxTable#page} reads it back with its record, and {@code outbox.OutboxStore}
 * puts the whole message back together.
 *
 * @param feed the value of {@code outbox.feed}: {@value #NOTIFICATIONS} or {@code alerts} ({@code outbox.Feed#column})
 * @param traceparent the W3C trace context the record came in with, written on the published
 *     message; null when there was none
 */
public record OutboxRow(
        String feed,
        long seq,
        String messageId,
        String destinationId,
        @Nullable String payload,
        @Nullable String summaryPrevious,
        @Nullable String traceparent) {

    /** The {@code outbox.feed} value of notifications, the only rows stored as a summary. */
    public static final String NOTIFICATIONS = "notifications";

    public OutboxRow {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(destinationId, "destinationId");
        if (seq <= 0) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
        if ((payload == null) == (summaryPrevious == null)) {
            throw new IllegalArgumentException("exactly one of payload and summaryPrevious: " + messageId);
        }
        if (traceparent != null && !TraceParent.isValid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        if (summaryPrevious != null && !NOTIFICATIONS.equals(feed)) {
            throw new IllegalArgumentException("only notifications are stored as a summary: " + feed);
        }
    }
}
