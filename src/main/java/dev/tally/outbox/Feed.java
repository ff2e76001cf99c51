package dev.tally.outbox;

/** The two outgoing message streams; each has its own gapless seq. */
public enum Feed {
    NOTIFICATIONS("notifications", "record.processed"),
    ALERTS("alerts", "record.threshold_exceeded");

    private final String column;
    private final String messageType;

    Feed(String column, String messageType) {
        this.column = column;
        this.messageType = messageType;
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
