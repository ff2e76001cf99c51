package dev.tally.outbox;

import dev.tally.record.RecordJson;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/** The JSON of the two message types of SPEC §5, built once when the message is written to the outbox. */
public final class Messages {

    private Messages() {}

    /**
     * {@code record.processed}: the record and the summary of the records of its
     * {@code (destinationId, reference)} processed before it.
     */
    public static OutboxMessage notification(long seq, Instant processedAt, TallyRecord record, Summary previous) {
        return build(Feed.NOTIFICATIONS, seq, processedAt, record, g -> {
            g.writeName("summary");
            g.writeStartObject();
            g.writeStringProperty("destinationId", record.destinationId());
            g.writeStringProperty("reference", record.reference());
            g.writeName("previous");
            RecordJson.writeSummary(g, previous);
            g.writeEndObject();
        });
    }

    /** {@code record.threshold_exceeded}: the record and the threshold of its unit that it is above. */
    public static OutboxMessage alert(long seq, Instant processedAt, TallyRecord record, BigDecimal threshold) {
        return build(Feed.ALERTS, seq, processedAt, record, g -> {
            g.writeName("threshold");
            g.writeStartObject();
            g.writeStringProperty("unit", record.unit());
            g.writeName("value");
            RecordJson.writeDecimal(g, threshold);
            g.writeEndObject();
        });
    }

    /** The common head ({@code messageId, type, seq, processedAt, record}), then {@code body}'s fields. */
    private static OutboxMessage build(Feed feed, long seq, Instant processedAt, TallyRecord record,
            Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("messageId", record.recordId());
            g.writeStringProperty("type", feed.messageType());
            g.writeNumberProperty("seq", seq);
            g.writeName("processedAt");
            RecordJson.writeInstant(g, processedAt);
            g.writeName("record");
            RecordJson.writeRecord(g, record);
            body.accept(g);
            g.writeEndObject();
        }
        return new OutboxMessage(feed, seq, record.recordId(), record.destinationId(), out.toString());
    }
}
