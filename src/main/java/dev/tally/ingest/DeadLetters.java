package dev.tally.ingest;

import dev.tally.record.FieldError;
import dev.tally.record.RecordJson;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * Builds the dead letter of a Kafka input message (SPEC §6): the original key and value bytes
 * unchanged, the original headers, and string headers saying why and where it came from. Pure
 * function: no I/O.
 *
 * <p>Beside Tally's own {@code tally-dlq-*} headers every letter also carries Spring Kafka's standard
 * {@code kafka_dlt-*} headers ({@link KafkaHeaders}), encoded as its {@code DeadLetterPublishingRecoverer}
 * encodes them (partition a 4-byte, offset and timestamp 8-byte big-endian integers, the rest UTF-8),
 * so that tools and Kafka UIs that know that convention read Tally's dead letters too. The
 * contract: docs/kafka.md ("Dead-letter headers") and docs/schemas/dead-letter-headers.schema.json.
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

    /** The same reason for the stack trace: its first frames say where, the log has the whole trace. */
    static final int MAX_STACKTRACE_CHARS = 8_000;

    static final int MAX_FRAMES = 12;

    /**
     * Headers that not every letter has (the recordId, the exception; Spring Kafka's consumer group
     * and key exception, which Tally never writes): an original's copy is removed first, so a replayed
     * letter's never passes for this one's.
     */
    private static final List<String> STALE_HEADERS = List.of(
            RECORD_ID,
            EXCEPTION,
            EXCEPTION_CAUSE,
            EXCEPTION_MESSAGE,
            SQL_STATE,
            KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP,
            KafkaHeaders.DLT_EXCEPTION_FQCN,
            KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN,
            KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
            KafkaHeaders.DLT_KEY_EXCEPTION_FQCN,
            KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE,
            KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE);

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
        for (String stale : STALE_HEADERS) {
            headers.remove(stale);
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
        // Spring Kafka's names and encodings for the same facts. Replaced like ours (Spring keeps an
        // earlier letter's by default): both sets then always name this letter's origin.
        put(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC, original.topic());
        put(
                headers,
                KafkaHeaders.DLT_ORIGINAL_PARTITION,
                ByteBuffer.allocate(Integer.BYTES).putInt(original.partition()).array());
        put(
                headers,
                KafkaHeaders.DLT_ORIGINAL_OFFSET,
                ByteBuffer.allocate(Long.BYTES).putLong(original.offset()).array());
        put(
                headers,
                KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                ByteBuffer.allocate(Long.BYTES).putLong(original.timestamp()).array());
        put(
                headers,
                KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE,
                original.timestampType().toString());
        put(headers, KafkaHeaders.DLT_EXCEPTION_MESSAGE, bounded(reason + ": " + errorsText(errors)));
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
        // The exception in Spring Kafka's headers: its class, its innermost cause's class (when it
        // has a cause), the message in Spring Kafka's form (without any, the errors' text of every
        // letter stays) and its stack trace, each bounded.
        put(
                letter.headers(),
                KafkaHeaders.DLT_EXCEPTION_FQCN,
                failure.getClass().getName());
        if (root != failure) {
            put(
                    letter.headers(),
                    KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN,
                    root.getClass().getName());
        }
        String springMessage = springMessage(failure, root);
        if (springMessage != null) {
            put(letter.headers(), KafkaHeaders.DLT_EXCEPTION_MESSAGE, springMessage);
        }
        put(
                letter.headers(),
                KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
                bounded(stackTrace(failure), MAX_STACKTRACE_CHARS));
        return letter;
    }

    /**
     * Spring Kafka's form, {@code <message>;<cause's message>}, with the innermost cause. The
     * failure's own message comes first but is the one shortened: the write path's quotes the whole
     * statement, the cause's (the driver's) says what was refused.
     */
    static String springMessage(Throwable failure, Throwable root) {
        String own = failure.getMessage();
        String cause = root == failure ? null : root.getMessage();
        if (cause == null) {
            return own == null ? null : bounded(own);
        }
        String tail = bounded(cause, MAX_MESSAGE_CHARS / 2);
        return own == null ? tail : bounded(own, MAX_MESSAGE_CHARS - tail.length() - 1) + ";" + tail;
    }

    private static String bounded(String message) {
        return bounded(message, MAX_MESSAGE_CHARS);
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * {@code printStackTrace}'s form, with at most {@value #MAX_FRAMES} frames per exception of the
     * chain: under a listener the container's frames alone fill the header's budget, and the
     * {@code Caused by} lines, which say the most, come last.
     */
    static String stackTrace(Throwable failure) {
        StringBuilder b = new StringBuilder(2048);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t != failure) {
                b.append("Caused by: ");
            }
            b.append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                b.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > MAX_FRAMES) {
                b.append("\t... ").append(frames.length - MAX_FRAMES).append(" more\n");
            }
        }
        return b.toString();
    }

    /** {@code field: message; field: message}: the broken rules in words, for a reader of headers. */
    private static String errorsText(List<FieldError> errors) {
        StringBuilder b = new StringBuilder();
        for (FieldError e : errors) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(e.field()).append(": ").append(e.message());
        }
        return b.toString();
    }

    private static void put(Headers headers, String name, String value) {
        put(headers, name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, byte[] value) {
        headers.remove(name); // an upstream header of the same name must not be mistaken for ours
        headers.add(name, value);
    }

    private static String errorsJson(List<FieldError> errors) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            RecordJson.writeFieldErrors(g, errors);
        }
        return out.toString();
    }
}
