package dev.tally.outbox;

import dev.tally.record.RecordJson;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.OutboxRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * The JSON of the two message types of SPEC §5. An alert is built whole when it is written to the
 * outbox ({@link OutboxRow}); a notification is its record's row plus the previous summary
 * ({@link #summaryPrevious}, written by {@code store.BatchWriter}) and is rendered when it is read,
 * from the same fields, so the bytes are the same either way.
 */
public final class Messages {

    private Messages() {}

    /**
     * What a {@code record.processed} message stores beside its record (the record's
     * {@code summary_previous}): the JSON of the summary of the records of its
     * {@code (destinationId, reference)} processed before it.
     */
    public static String summaryPrevious(Summary previous) {
        return RecordJson.summaryJson(previous);
    }

    /**
     * The whole {@code record.processed} message: the record, and {@code summaryPrevious} (the JSON
     * that {@link #notification} stored) as {@code summary.previous}.
     */
    public static String renderNotification(long seq, Instant processedAt, TallyRecord record, String summaryPrevious) {
        return message(Feed.NOTIFICATIONS, seq, processedAt, record, g -> {
            g.writeName("summary");
            g.writeStartObject();
            g.writeStringProperty("destinationId", record.destinationId());
            g.writeStringProperty("reference", record.reference());
            g.writeName("previous");
            g.writeRawValue(summaryPrevious);
            g.writeEndObject();
        });
    }

    /** {@code record.threshold_exceeded}: the record and the threshold of its unit that it is above. */
    public static OutboxRow alert(
            long seq, Instant processedAt, TallyRecord record, BigDecimal threshold, @Nullable String traceparent) {
        String payload = message(Feed.ALERTS, seq, processedAt, record, g -> {
            g.writeName("threshold");
            g.writeStartObject();
            g.writeStringProperty("unit", record.unit());
            g.writeName("value");
            RecordJson.writeDecimal(g, threshold);
            g.writeEndObject();
        });
        return new OutboxRow(OutboxRow.ALERTS, seq, record.recordId(), record.destinationId(), payload, traceparent);
    }

    /** The common head ({@code messageId, type, seq, processedAt, record}), then {@code body}'s fields. */
    private static String message(
            Feed feed, long seq, Instant processedAt, TallyRecord record, Consumer<JsonGenerator> body) {
        return RecordJson.json(g -> {
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
        });
    }
}
