package dev.tally.outbox;

/** The two outgoing message streams; each has its own gapless seq. */
public enum Feed {
    NOTIFICATIONS("notifications", "record.processed", "dev.tally.record.processed.v1"),
    ALERTS("alerts", "record.threshold_exceeded", "dev.tally.alert.raised.v1");

    private final String column;
    private final String messageType;
    private final String cloudEventType;

    Feed(String column, String messageType, String cloudEventType) {
        this.column = column;
        this.messageType = messageType;
        this.cloudEventType = cloudEventType;
    }

    /**
     * The CloudEvents {@code type} of the feed's messages on Kafka ({@code ce_type}): versioned, so
     * that an incompatible payload gets a new type instead of surprising a consumer.
     */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** The value of {@code outbox.feed}. */
    public String column() {
        return column;
    }

    /** The {@code type} field of the feed's messages. */
    public String messageType() {
        return messageType;
    }
}
