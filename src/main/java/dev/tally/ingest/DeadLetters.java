package dev.tally.ingest;

import dev.tally.record.FieldError;
import dev.tally.record.RecordJson;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * Builds the dead letter of a Kafka input message (SPEC §6): the original key and value bytes
 * unchanged, the original headers, and string headers saying why and where it came from. Pure
 * function: no I/O.
 */
final class DeadLetters {

    /**
     * {@code invalid} (unparsable JSON or a broken rule), {@code conflict} (recordId known with other
     * content), {@code forbidden-source} (the topic may not carry the record's sourceId) or
     * {@code processing-failed} (valid, but its unit of work fails for a fatal reason).
     */
    static final String REASON = "tally-dlq-reason";
    /** The offending field names, comma-separated ({@code $} for the whole message). */
    static final String FIELDS = "tally-dlq-fields";
    /** JSON array of {@code {"field","message"}}: each broken rule in words. */
    static final String ERRORS = "tally-dlq-errors";
    /** The recordId, when one could be read. */
    static final String RECORD_ID = "tally-dlq-record-id";

    static final String ORIGINAL_TOPIC = "tally-dlq-original-topic";
    static final String ORIGINAL_PARTITION = "tally-dlq-original-partition";
    static final String ORIGINAL_OFFSET = "tally-dlq-original-offset";
    static final String ORIGINAL_TIMESTAMP = "tally-dlq-original-timestamp";
    /** {@code processing-failed} only: the class of the failure as the write path threw it. */
    static final String EXCEPTION = "tally-dlq-exception";
    /** {@code processing-failed} only: the class of its innermost cause (the driver's exception, usually). */
    static final String EXCEPTION_CAUSE = "tally-dlq-exception-cause";
    /** {@code processing-failed} only: the innermost cause's message, at most {@link #MAX_MESSAGE_CHARS}. */
    static final String EXCEPTION_MESSAGE = "tally-dlq-exception-message";
    /** {@code processing-failed} only, when the database gave one: the SQLSTATE. */
    static final String SQL_STATE = "tally-dlq-sql-state";

    static final String INVALID = "invalid";
    static final String CONFLICT = "conflict";
    static final String FORBIDDEN_SOURCE = "forbidden-source";
    static final String PROCESSING_FAILED = "processing-failed";

    /**
     * A driver's message can quote the whole failing row or statement; the header stays far below
     * the producer's request limit, so that a dead letter is never refused for its own size.
     */
    static final int MAX_MESSAGE_CHARS = 2_000;

    private DeadLetters() {}

    static ProducerRecord<byte[], byte[]> of(
            String topic,
            ConsumerRecord<byte[], byte[]> original,
            String reason,
            String recordId,
            List<FieldError> errors) {
        Headers headers = new RecordHeaders();
        for (Header h : original.headers()) {
            headers.add(h);
        }
        put(headers, REASON, reason);
        Set<String> fields = new LinkedHashSet<>();
        for (FieldError e : errors) {
            fields.add(e.field());
        }
        put(headers, FIELDS, String.join(",", fields));
        put(headers, ERRORS, errorsJson(errors));
        if (recordId != null) {
            put(headers, RECORD_ID, recordId);
        }
        put(headers, ORIGINAL_TOPIC, original.topic());
        put(headers, ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(headers, ORIGINAL_OFFSET, Long.toString(original.offset()));
        put(headers, ORIGINAL_TIMESTAMP, Long.toString(original.timestamp()));
        return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
    }

    /**
     * The dead letter of a valid record whose unit of work failed for a fatal reason, even alone:
     * the errors name the whole message ({@code $}) and the failure; the exception headers carry
     * its classes, its innermost message and SQLSTATE.
     */
    static ProducerRecord<byte[], byte[]> processingFailed(
            String topic, ConsumerRecord<byte[], byte[]> original, String recordId, Throwable failure) {
        Throwable root = failure;
        String sqlState = null;
        for (Throwable c = failure; c != null; c = c.getCause()) {
            root = c;
            if (sqlState == null && c instanceof SQLException sql && sql.getSQLState() != null) {
                sqlState = sql.getSQLState();
            }
        }
        String message = bounded(String.valueOf(root.getMessage()));
        ProducerRecord<byte[], byte[]> letter = of(
                topic,
                original,
                PROCESSING_FAILED,
                recordId,
                List.of(new FieldError(
                        "$", "processing failed: " + root.getClass().getSimpleName() + ": " + message)));
        put(letter.headers(), EXCEPTION, failure.getClass().getName());
        put(letter.headers(), EXCEPTION_CAUSE, root.getClass().getName());
        put(letter.headers(), EXCEPTION_MESSAGE, message);
        if (sqlState != null) {
            put(letter.headers(), SQL_STATE, sqlState);
        }
        return letter;
    }

    private static String bounded(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name); // an upstream header of the same name must not be mistaken for ours
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorsJson(List<FieldError> errors) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            RecordJson.writeFieldErrors(g, errors);
        }
        return out.toString();
    }
}
