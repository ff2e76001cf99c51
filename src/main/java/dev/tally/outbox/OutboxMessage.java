package dev.tally.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One message in the outbox.
 *
 * @param payload   the message's JSON exactly as served by the feed and published to Kafka
 * @param createdAt when the message was written: its records' transaction time, the payload's
 *                  {@code processedAt}
 */
public record OutboxMessage(
        Feed feed, long seq, String messageId, String destinationId, String payload, Instant createdAt) {
    public OutboxMessage {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        if (seq <= 0) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
    }
}
