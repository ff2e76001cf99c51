package dev.tally.ingest;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.FieldError;
import dev.tally.record.Validation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

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

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
