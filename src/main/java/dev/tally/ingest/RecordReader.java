package dev.tally.ingest;

import dev.tally.record.FieldError;
import dev.tally.record.RecordJson;
import dev.tally.record.RecordValidator;
import dev.tally.record.Validation;
import dev.tally.web.BodyTooLarge;
import dev.tally.web.MalformedBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/**
 * Reads request bodies into validated items with Jackson's streaming parser: one object, a JSON
 * array of objects, or NDJSON lines. Numbers keep their exact text (see {@link RecordJson}).
 * Malformed JSON of a whole body is a {@link MalformedBody}; a malformed NDJSON line is just one
 * invalid item.
 */
final class RecordReader {

    private RecordReader() {}

    /** One JSON object and nothing after it. */
    static Validation readOne(InputStream body) {
        try (JsonParser p = RecordJson.FACTORY.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedBody("The body must be one JSON object (a record)");
            }
            Validation v = RecordValidator.validate(RecordJson.readObject(p));
            if (p.nextToken() != null) {
                throw new MalformedBody("The body must hold exactly one JSON object; more content follows it");
            }
            return v;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** A JSON array; every element is one item (a non-object element is an invalid item). */
    static List<Validation> readArray(InputStream body, int maxItems) {
        List<Validation> items = new ArrayList<>();
        try (JsonParser p = RecordJson.FACTORY.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedBody("The body must be a JSON array of records (or send application/x-ndjson)");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (items.size() == maxItems) {
                    throw new BodyTooLarge("A batch holds at most " + maxItems
                            + " records (tally.ingest.max-batch); send larger sets as application/x-ndjson");
                }
                items.add(readItem(p, t));
            }
            if (p.nextToken() != null) {
                throw new MalformedBody("The body must hold exactly one JSON array; more content follows it");
            }
            return items;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /**
     * Reads NDJSON from {@code body} line by line, handing each non-blank line's item to
     * {@code sink} in order. Blank lines are ignored. A line longer than {@code maxLineBytes} is an
     * invalid item; its further bytes are skipped, never buffered, but only up to another
     * {@code maxLineBytes}: a line that has not ended by then is reported and reading stops, since
     * the rest of an unbounded line (a 2 GiB one was read whole) is work for nothing.
     *
     * @return true if the body was read to its end, false if reading stopped at such a line (its
     *     item is then the last one given to {@code sink})
     */
    static boolean readNdjson(InputStream body, int maxLineBytes, Consumer<Validation> sink) throws IOException {
        byte[] line = new byte[Math.min(maxLineBytes, 64 * 1024)];
        byte[] buf = new byte[64 * 1024];
        int length = 0;
        boolean tooLong = false;
        long skipped = 0;
        int n;
        while ((n = body.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    emitLine(line, length, tooLong, maxLineBytes, sink);
                    length = 0;
                    tooLong = false;
                    skipped = 0;
                } else if (tooLong) {
                    if (++skipped > maxLineBytes) {
                        emitLine(line, length, true, maxLineBytes, sink);
                        return false;
                    }
                } else if (length == maxLineBytes) {
                    tooLong = true;
                    skipped = 1;
                } else {
                    if (length == line.length) {
                        line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                    }
                    line[length++] = b;
                }
            }
        }
        emitLine(line, length, tooLong, maxLineBytes, sink);
        return true;
    }

    private static void emitLine(
            byte[] line, int length, boolean tooLong, int maxLineBytes, Consumer<Validation> sink) {
        if (tooLong) {
            sink.accept(new Validation.Invalid(
                    null,
                    List.of(new FieldError(
                            "$",
                            "the line is longer than " + maxLineBytes + " bytes (tally.ingest.max-record-bytes)"))));
            return;
        }
        if (isBlank(line, length)) {
            return;
        }
        try (JsonParser p = RecordJson.FACTORY.createParser(ObjectReadContext.empty(), line, 0, length)) {
            Validation v = readItem(p, p.nextToken());
            if (p.nextToken() != null) {
                v = new Validation.Invalid(
                        null, List.of(new FieldError("$", "a line must hold exactly one JSON object")));
            }
            sink.accept(v);
        } catch (JacksonException e) {
            sink.accept(new Validation.Invalid(null, List.of(new FieldError("$", "malformed JSON: " + brief(e)))));
        }
    }

    /**
     * One Kafka message value: exactly one JSON object. Anything else (no value, malformed JSON,
     * not an object, trailing content) is an invalid item, never an exception: a poison message
     * must become a dead letter, not stop its partition.
     */
    static Validation readMessage(byte[] value) {
        if (value == null) {
            return new Validation.Invalid(null, List.of(new FieldError("$", "the message has no value")));
        }
        try (JsonParser p = RecordJson.FACTORY.createParser(ObjectReadContext.empty(), value, 0, value.length)) {
            Validation v = readItem(p, p.nextToken());
            if (p.nextToken() != null) {
                v = new Validation.Invalid(
                        null, List.of(new FieldError("$", "a message must hold exactly one JSON object")));
            }
            return v;
        } catch (JacksonException e) {
            return new Validation.Invalid(null, List.of(new FieldError("$", "malformed JSON: " + brief(e))));
        }
    }

    private static Validation readItem(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new Validation.Invalid(null, List.of(new FieldError("$", "must be a JSON object (a record)")));
        }
        return RecordValidator.validate(RecordJson.readObject(p));
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static MalformedBody malformed(JacksonException e) {
        return new MalformedBody("Malformed JSON: " + brief(e));
    }

    /** Jackson's message without the source excerpt it appends. */
    private static String brief(JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
