package dev.tally.store;

import dev.tally.record.TraceParent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message as the write transaction stores it in the {@code outbox} table: an alert, with its
 * whole JSON ({@code payload}). A notification has no outbox row: it is its record's row
 * ({@link RecordStore.NewRow}, migration V10).
 *
 * @param feed the value of {@code outbox.feed}: {@value #ALERTS} ({@code outbox.Feed#column})
 * @param traceparent the W3C trace context the record came in with, written on the published
 *     message; null when there was none
 */
public record OutboxRow(
        String feed,
        long seq,
        String messageId,
        String destinationId,
        String payload,
        @Nullable String traceparent) {

    /** The {@code outbox.feed} value of notifications, which are stored as their records. */
    public static final String NOTIFICATIONS = "notifications";

    /** The {@code outbox.feed} value of alerts, the only rows of the table. */
    public static final String ALERTS = "alerts";

    public OutboxRow {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(destinationId, "destinationId");
        if (seq <= 0) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
        Objects.requireNonNull(payload, "payload");
        if (!ALERTS.equals(feed)) {
            throw new IllegalArgumentException("only alerts have outbox rows: " + feed);
        }
        if (traceparent != null && !TraceParent.isValid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
    }
}
