package dev.tally.ingest;

import dev.tally.record.RecordJson;
import tools.jackson.core.JsonGenerator;

/** Writes batch results and keeps the counts per outcome. */
final class BatchResults {

    long accepted;
    long duplicate;
    long conflict;
    long invalid;
    long forbidden;

    void count(ItemResult r) {
        switch (r.outcome()) {
            case "accepted" -> accepted++;
            case "duplicate" -> duplicate++;
            case "conflict" -> conflict++;
            case ItemResult.INVALID -> invalid++;
            case ItemResult.FORBIDDEN -> forbidden++;
            default -> throw new IllegalArgumentException("unknown outcome " + r.outcome());
        }
    }

    void writeCounts(JsonGenerator g) {
        g.writeNumberProperty("accepted", accepted);
        g.writeNumberProperty("duplicate", duplicate);
        g.writeNumberProperty("conflict", conflict);
        g.writeNumberProperty("invalid", invalid);
        g.writeNumberProperty("forbidden", forbidden);
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
        g.writeStringProperty("outcome", r.outcome());
        if (!r.errors().isEmpty()) {
            g.writeName("errors");
            RecordJson.writeFieldErrors(g, r.errors());
        }
        g.writeEndObject();
    }
}
