package dev.tally.ingest;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.FieldError;
import dev.tally.record.Validation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

/** Kafka message values to items, and items to dead letters: pure functions, no broker. */
class DeadLettersTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfBadValueIsAnInvalidItemNotAnException() {
        assertThat(RecordReader.readMessage(null)).isInstanceOf(Validation.Invalid.class);
        assertThat(RecordReader.readMessage(new byte[0])).isInstanceOf(Validation.Invalid.class);
        assertThat(RecordReader.readMessage(bytes("{oops"))).isInstanceOf(Validation.Invalid.class);
        assertThat(RecordReader.readMessage(bytes("[1]"))).isInstanceOf(Validation.Invalid.class);
        assertThat(RecordReader.readMessage(bytes(rec("r-1").number("1").json() + " {}")))
                .isInstanceOf(Validation.Invalid.class);
        assertThat(RecordReader.readMessage(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}))
                .isInstanceOf(Validation.Invalid.class);
        Validation negative =
                RecordReader.readMessage(bytes(rec("r-1").number("-1").json()));
        assertThat(((Validation.Invalid) negative).errors())
                .extracting(FieldError::field)
                .containsExactly("value");
        assertThat(((Validation.Invalid) negative).recordId()).isEqualTo("r-1");
        assertThat(RecordReader.readMessage(bytes(rec("r-1").number("0.1").json())))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void aDeadLetterKeepsTheOriginalBytesAndHeadersAndSaysWhyAndWhere() {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>("records", 2, 41L, bytes("k"), bytes("{oops"));
        original.headers().add("trace", bytes("abc"));
        original.headers().add(DeadLetters.REASON, bytes("spoofed"));
        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(
                "records.dlq",
                original,
                DeadLetters.INVALID,
                "r-9",
                List.of(
                        new FieldError("value", "must be >= 0"),
                        new FieldError("unit", "is required"),
                        new FieldError("value", "second rule")));
        assertThat(letter.topic()).isEqualTo("records.dlq");
        assertThat(letter.key()).isEqualTo(bytes("k"));
        assertThat(letter.value()).isEqualTo(bytes("{oops"));
        assertThat(header(letter, "trace")).isEqualTo("abc");
        assertThat(header(letter, DeadLetters.REASON)).isEqualTo("invalid");
        assertThat(letter.headers().headers(DeadLetters.REASON)).hasSize(1);
        assertThat(header(letter, DeadLetters.FIELDS)).isEqualTo("value,unit");
        assertThat(header(letter, DeadLetters.ERRORS))
                .isEqualTo(
                        "[{\"field\":\"value\",\"message\":\"must be >= 0\"},"
                                + "{\"field\":\"unit\",\"message\":\"is required\"},{\"field\":\"value\",\"message\":\"second rule\"}]");
        assertThat(header(letter, DeadLetters.RECORD_ID)).isEqualTo("r-9");
        assertThat(header(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo("records");
        assertThat(header(letter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("2");
        assertThat(header(letter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("41");
    }

    @Test
    void aProcessingFailureSaysWhichExceptionAndWhereTheRecordCameFrom() {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>("records", 1, 7L, bytes("k"), bytes("{...}"));
        original.headers().add(DeadLetters.EXCEPTION, bytes("spoofed"));
        java.sql.SQLException driver = new java.sql.SQLException("new row violates check constraint \"c\"", "23514");
        RuntimeException failure = new org.springframework.dao.DataIntegrityViolationException("INSERT ...", driver);
        ProducerRecord<byte[], byte[]> letter = DeadLetters.processingFailed("records.dlq", original, "r-7", failure);
        assertThat(letter.value()).isEqualTo(bytes("{...}"));
        assertThat(header(letter, DeadLetters.REASON)).isEqualTo("processing-failed");
        assertThat(header(letter, DeadLetters.RECORD_ID)).isEqualTo("r-7");
        assertThat(header(letter, DeadLetters.FIELDS)).isEqualTo("$");
        assertThat(header(letter, DeadLetters.EXCEPTION))
                .isEqualTo("org.springframework.dao.DataIntegrityViolationException");
        assertThat(letter.headers().headers(DeadLetters.EXCEPTION)).hasSize(1);
        assertThat(header(letter, DeadLetters.EXCEPTION_CAUSE)).isEqualTo("java.sql.SQLException");
        assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo("new row violates check constraint \"c\"");
        assertThat(header(letter, DeadLetters.SQL_STATE)).isEqualTo("23514");
        assertThat(header(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo("records");
        assertThat(header(letter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("1");
        assertThat(header(letter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("7");

        String longMessage = "x".repeat(10_000);
        ProducerRecord<byte[], byte[]> bounded =
                DeadLetters.processingFailed("records.dlq", original, null, new NullPointerException(longMessage));
        assertThat(header(bounded, DeadLetters.EXCEPTION_MESSAGE)).hasSize(DeadLetters.MAX_MESSAGE_CHARS);
        assertThat(bounded.headers().lastHeader(DeadLetters.SQL_STATE)).isNull();
        assertThat(bounded.headers().lastHeader(DeadLetters.RECORD_ID)).isNull();
    }

    /**
     * Spring Kafka's {@code kafka_dlt-*} headers, with the encodings of its
     * DeadLetterPublishingRecoverer: a 4-byte big-endian partition, 8-byte offset and timestamp.
     */
    @Test
    void aDeadLetterAlsoCarriesSpringKafkasStandardHeadersInTheirBinaryEncoding() {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>(
                "records",
                258,
                0x0102_0304_0506_0708L,
                1_767_225_600_123L,
                TimestampType.CREATE_TIME,
                1,
                5,
                bytes("k"),
                bytes("{oops"),
                new RecordHeaders(),
                Optional.empty());
        // Left by an earlier dead-lettering of the same bytes (a replayed letter): not this failure's.
        original.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes("elsewhere"));
        original.headers().add(KafkaHeaders.DLT_EXCEPTION_FQCN, bytes("com.example.Old"));
        original.headers().add(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, bytes("old trace"));
        original.headers().add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, bytes("old-group"));
        original.headers().add(DeadLetters.EXCEPTION, bytes("com.example.Old"));
        original.headers().add(DeadLetters.SQL_STATE, bytes("23514"));
        original.headers().add(DeadLetters.RECORD_ID, bytes("r-old"));
        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(
                "records.dlq",
                original,
                DeadLetters.INVALID,
                null,
                List.of(new FieldError("value", "must be >= 0"), new FieldError("unit", "is required")));

        assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("records");
        assertThat(letter.headers().headers(KafkaHeaders.DLT_ORIGINAL_TOPIC)).hasSize(1);
        assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_PARTITION)).containsExactly(0, 0, 1, 2);
        assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(ByteBuffer.wrap(raw(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP))
                        .getLong())
                .isEqualTo(1_767_225_600_123L);
        assertThat(raw(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP)).hasSize(8);
        assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .isEqualTo("invalid: value: must be >= 0; unit: is required");
        assertThat(letter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)).isNull();
        assertThat(letter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                .isNull();
        assertThat(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP))
                .isNull();
        assertThat(letter.headers().lastHeader(DeadLetters.EXCEPTION)).isNull();
        assertThat(letter.headers().lastHeader(DeadLetters.SQL_STATE)).isNull();
        assertThat(letter.headers().lastHeader(DeadLetters.RECORD_ID)).isNull();
        // Tally's own headers say the same in text.
        assertThat(header(letter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("258");
        assertThat(header(letter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo(Long.toString(0x0102_0304_0506_0708L));
        assertThat(header(letter, DeadLetters.ORIGINAL_TIMESTAMP)).isEqualTo("1767225600123");

        // The broker's own clock (LogAppendTime), and a message without a timestamp (-1).
        ConsumerRecord<byte[], byte[]> appended = new ConsumerRecord<>(
                "payments",
                0,
                0L,
                -1L,
                TimestampType.NO_TIMESTAMP_TYPE,
                0,
                0,
                null,
                null,
                new RecordHeaders(),
                Optional.empty());
        ProducerRecord<byte[], byte[]> empty = DeadLetters.of(
                "records.dlq", appended, DeadLetters.INVALID, null, List.of(new FieldError("$", "must be JSON")));
        assertThat(raw(empty, KafkaHeaders.DLT_ORIGINAL_PARTITION)).containsExactly(0, 0, 0, 0);
        assertThat(raw(empty, KafkaHeaders.DLT_ORIGINAL_OFFSET)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(raw(empty, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP))
                .containsExactly(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThat(header(empty, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("NoTimestampType");
        assertThat(header(empty, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("invalid: $: must be JSON");
    }

    @Test
    void aProcessingFailureCarriesTheExceptionInSpringKafkasHeadersToo() {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>("records", 1, 7L, bytes("k"), bytes("{...}"));
        java.sql.SQLException driver = new java.sql.SQLException("new row violates check constraint \"c\"", "23514");
        RuntimeException failure = new org.springframework.dao.DataIntegrityViolationException("INSERT ...", driver);
        ProducerRecord<byte[], byte[]> letter = DeadLetters.processingFailed("records.dlq", original, "r-7", failure);
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_FQCN))
                .isEqualTo("org.springframework.dao.DataIntegrityViolationException");
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)).isEqualTo("java.sql.SQLException");
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .isEqualTo("INSERT ...;new row violates check constraint \"c\"");
        assertThat(letter.headers().headers(KafkaHeaders.DLT_EXCEPTION_MESSAGE)).hasSize(1);
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                .startsWith("org.springframework.dao.DataIntegrityViolationException: INSERT ...")
                .contains("Caused by: java.sql.SQLException: new row violates check constraint \"c\"")
                .contains("\tat dev.tally.ingest.DeadLettersTest.")
                .contains(" more\n");
        assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("records");
        assertThat(ByteBuffer.wrap(raw(letter, KafkaHeaders.DLT_ORIGINAL_PARTITION))
                        .getInt())
                .isEqualTo(1);
        assertThat(ByteBuffer.wrap(raw(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET))
                        .getLong())
                .isEqualTo(7L);

        // No cause: no cause header; no message: the reason's text stays; a huge trace is bounded.
        RuntimeException deep = new NullPointerException();
        for (int i = 0; i < 500; i++) {
            deep = new IllegalStateException(null, deep);
        }
        ProducerRecord<byte[], byte[]> bare =
                DeadLetters.processingFailed("records.dlq", original, null, new NullPointerException());
        assertThat(bare.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN))
                .isNull();
        assertThat(header(bare, KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo("java.lang.NullPointerException");
        assertThat(header(bare, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .isEqualTo("processing-failed: $: processing failed: NullPointerException: null");
        // A statement quoted in full is shortened, the driver's reason is kept whole.
        RuntimeException longSql = new org.springframework.dao.DataIntegrityViolationException(
                "SQL [" + "x".repeat(5_000) + "]", new java.sql.SQLException("refused: c", "23514"));
        String both = header(
                DeadLetters.processingFailed("records.dlq", original, null, longSql),
                KafkaHeaders.DLT_EXCEPTION_MESSAGE);
        assertThat(both)
                .hasSize(DeadLetters.MAX_MESSAGE_CHARS)
                .startsWith("SQL [xxx")
                .endsWith("…;refused: c");
        assertThat(DeadLetters.springMessage(new IllegalStateException(null, driver), driver))
                .isEqualTo("new row violates check constraint \"c\"");
        RuntimeException alone = new IllegalStateException("own");
        assertThat(DeadLetters.springMessage(alone, alone)).isEqualTo("own");
        ProducerRecord<byte[], byte[]> huge = DeadLetters.processingFailed("records.dlq", original, null, deep);
        assertThat(header(huge, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).hasSize(DeadLetters.MAX_STACKTRACE_CHARS);
        assertThat(header(huge, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)).isEqualTo("java.lang.NullPointerException");
    }

    private static byte[] raw(ProducerRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name).value();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
