package dev.tally.outbox;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message in the outbox.
 *
 * @param payload   the message's JSON exactly as served by the feed and published to Kafka
 * @param createdAt when the message was written: its records' transaction time, the payload's
 *                  {@code processedAt}
 * @param traceparent the W3C trace context its record came in with, published as the
 *                  {@code traceparent} header; null when there was none
 */
public record OutboxMessage(
        Feed feed,
        long seq,
        String messageId,
        String destinationId,
        String payload,
        Instant createdAt,
        @Nullable String traceparent) {
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
