package dev.tally.ingest;

import dev.tally.processing.Channel;
import dev.tally.processing.RecordCounter;
import dev.tally.record.RecordJson;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the results of an HTTP batch and keeps the counts per outcome; the edge's refusals also go
 * to the records counter (processing counts the committed outcomes).
 */
final class BatchResults {

    private final long[] counts = new long[ItemOutcome.values().length];
    private final RecordCounter counter;

    BatchResults(RecordCounter counter) {
        this.counter = counter;
    }

    void count(ItemResult r) {
        counts[r.outcome().ordinal()]++;
        if (r.outcome() == ItemOutcome.INVALID || r.outcome() == ItemOutcome.FORBIDDEN) {
            counter.refused(Channel.HTTP, r.outcome().wire(), 1);
        }
    }

    /** Every outcome's count, zeros included, in {@link ItemOutcome}'s order. */
    void writeCounts(JsonGenerator g) {
        for (ItemOutcome o : ItemOutcome.values()) {
            g.writeNumberProperty(o.wire(), counts[o.ordinal()]);
        }
    }

    static void write(JsonGenerator g, ItemResult r) {
        g.writeStartObject();
        g.writeNumberProperty("index", r.index());
        g.writeName("recordId");
        if (r.recordId() == null) {
            g.writeNull();
        } else {
            g.writeString(r.recordId());
        }
        g.writeStringProperty("outcome", r.outcome().wire());
        if (!r.errors().isEmpty()) {
            g.writeName("errors");
            RecordJson.writeFieldErrors(g, r.errors());
        }
        g.writeEndObject();
    }
}
