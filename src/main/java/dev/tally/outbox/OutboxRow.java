package dev.tally.outbox;

import java.util.Objects;

/**
 * One message as the write transaction stores it in the outbox. An alert carries its whole JSON
 * ({@code payload}); a notification carries only the JSON of its {@code summary.previous}
 * ({@code summaryPrevious}), because everything else in it is the record, stored beside it in the
 * same transaction. {@link OutboxStore#page} puts the whole message back together.
 */
public record OutboxRow(Feed feed, long seq, String messageId, String destinationId, String payload,
        String summaryPrevious) {
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
        if (summaryPrevious != null && feed != Feed.NOTIFICATIONS) {
            throw new IllegalArgumentException("only notifications are stored as a summary: " + feed);
        }
    }
}
