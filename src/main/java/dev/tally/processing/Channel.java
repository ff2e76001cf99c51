package dev.tally.processing;

/** Where a record came in: the {@code channel} tag of the records counter. */
public enum Channel {
    HTTP("http"),
    KAFKA("kafka");

    private final String tag;

    Channel(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
