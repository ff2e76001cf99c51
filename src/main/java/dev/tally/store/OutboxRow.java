package dev.tally.store;

import java.util.Objects;

/**
 * One message as the write transaction stores it in the {@code outbox} table. An alert carries its
 * whole JSON ({@code payload}); a notification carries only the JSON of its {@code summary.previous}
 * ({@code summaryPrevious}), because everything else in it is the record, stored beside it in the
 * same transaction. {@link OutboxTable#page} reads it back with its record, and {@code outbox.OutboxStore}
 * puts the whole message back together.
 *
 * @param feed the value of {@code outbox.feed}: {@value #NOTIFICATIONS} or {@code alerts} ({@code outbox.Feed#column})
 */
public record OutboxRow(
        String feed, long seq, String messageId, String destinationId, String payload, String summaryPrevious) {

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
        if (summaryPrevious != null && !NOTIFICATIONS.equals(feed)) {
            throw new IllegalArgumentException("only notifications are stored as a summary: " + feed);
        }
    }
}
