package dev.tally.ingest;

import dev.tally.record.RecordJson;
import tools.jackson.core.JsonGenerator;

/** Writes batch results and keeps the counts per outcome. */
final class BatchResults {

    private final long[] counts = new long[ItemOutcome.values().length];

    void count(ItemResult r) {
        counts[r.outcome().ordinal()]++;
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
