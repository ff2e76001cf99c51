package dev.tally.outbox;

import java.util.Objects;

/**
 * One message in the outbox.
 *
 * @param payload the message's JSON exactly as served by the feed and published to Kafka
 */
public record OutboxMessage(Feed feed, long seq, String messageId, String destinationId, String payload) {
    public OutboxMessage {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(payload, "payload");
        if (seq <= 0) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
    }
}
