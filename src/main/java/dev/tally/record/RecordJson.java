package dev.tally.record;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON form of records, totals and summaries, on Jackson's streaming API so that decimals are
 * read from and written to their exact text (never through a binary float) and large documents are
 * never held as trees.
 */
public final class RecordJson {

    /**
     * Jackson's own limits on what one document may make it hold, stated rather than inherited:
     * each bounds work that happens before {@link RecordValidator} sees a field.
     * <ul>
     * <li>numbers: as long as strings ({@value #MAX_NUMBER_CHARS} characters; the bodies' byte limits
     *     come first). Numbers are only ever read as text here, never converted by Jackson, and the
     *     validator refuses texts above {@link RecordValidator#MAX_DECIMAL_TEXT_LENGTH} before parsing
     *     them, so a long number is an invalid field of its item, not a malformed document that
     *     would refuse the other items of a batch with it (Jackson's default of 1,000 did that);</li>
     * <li>property names: {@value #MAX_NAME_CHARS} characters (known names have at most 13), and not
     *     canonicalized: the factory's shared symbol table would keep names of earlier requests and
     *     rebuild itself for a record of many distinct unknown names, at no gain for an ordinary
     *     record (the figures: docs/architecture.md, "Limits on hostile input");</li>
     * <li>nesting: {@value #MAX_NESTING_DEPTH} levels (Jackson 3's default); a record is flat, and
     *     only ignored extra fields nest;</li>
     * <li>strings: Jackson's default (20 M characters). The bodies themselves are bounded by
     *     {@code tally.ingest.max-record-bytes} / {@code max-batch-bytes}; an ignored field's string is
     *     skipped without being buffered.</li>
     * </ul>
     */
    static final int MAX_NUMBER_CHARS = 20_000_000;

    static final int MAX_NAME_CHARS = 1_000;
    static final int MAX_NESTING_DEPTH = 500;

    /** Thread-safe and shared: building a factory is costly, using one is not. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build();

    private RecordJson() {}

    /**
     * Reads one JSON object whose START_OBJECT is the parser's current token, keeping the known
     * fields' kinds and exact texts; on return the current token is the matching END_OBJECT.
     */
    public static RawRecord readObject(JsonParser p) {
        RawRecord raw = new RawRecord();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (!RawRecord.isKnownField(name)) {
                p.skipChildren();
                continue;
            }
            raw.put(
                    name,
                    switch (t) {
                        case VALUE_STRING -> new RawRecord.Value(RawRecord.Kind.STRING, p.getString());
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                            new RawRecord.Value(RawRecord.Kind.NUMBER, p.getText());
                        case VALUE_NULL -> new RawRecord.Value(RawRecord.Kind.NULL, null);
                        default -> {
                            p.skipChildren();
                            yield new RawRecord.Value(RawRecord.Kind.OTHER, null);
                        }
                    });
        }
        return raw;
    }

    /** A decimal as a JSON number in plain notation, exactly as held (scale kept). */
    public static void writeDecimal(JsonGenerator g, BigDecimal value) {
        g.writeNumber(value.toPlainString());
    }

    public static void writeInstant(JsonGenerator g, Instant instant) {
        if (instant == null) {
            g.writeNull();
        } else {
            g.writeString(UtcTimestamps.format(instant));
        }
    }

    public static void writeRecord(JsonGenerator g, TallyRecord r) {
        g.writeStartObject();
        g.writeStringProperty("recordId", r.recordId());
        g.writeName("time");
        writeInstant(g, r.time());
        g.writeStringProperty("sourceId", r.sourceId());
        g.writeStringProperty("destinationId", r.destinationId());
        g.writeStringProperty("type", r.type().wire());
        g.writeName("value");
        writeDecimal(g, r.value());
        g.writeStringProperty("unit", r.unit());
        g.writeStringProperty("reference", r.reference());
        g.writeEndObject();
    }

    /** {@code [{"unit","positive","negative","net"}, ...]} in the order given. */
    public static void writeTotals(JsonGenerator g, List<UnitTotals> totals) {
        g.writeStartArray();
        for (UnitTotals t : totals) {
            g.writeStartObject();
            g.writeStringProperty("unit", t.unit());
            g.writeName("positive");
            writeDecimal(g, t.positive());
            g.writeName("negative");
            writeDecimal(g, t.negative());
            g.writeName("net");
            writeDecimal(g, t.net());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code {"recordCount","firstTime","lastTime","totals"}}; an empty summary has null times and no totals. */
    public static void writeSummary(JsonGenerator g, Summary s) {
        g.writeStartObject();
        g.writeNumberProperty("recordCount", s.recordCount());
        g.writeName("firstTime");
        writeInstant(g, s.firstTime());
        g.writeName("lastTime");
        writeInstant(g, s.lastTime());
        g.writeName("totals");
        writeTotals(g, s.totals());
        g.writeEndObject();
    }

    /**
     * The JSON that {@link #writeSummary} writes as a whole document, built directly when every unit
     * is {@linkplain #isPlain plain} (the notification's {@code summary.previous}, one per record on
     * the writer thread, where a Jackson generator per record was a large share of its time;
     * docs/performance.md, item 6).
     * Same characters either way; {@code RecordJsonTest} compares the two.
     */
    public static String summaryJson(Summary s) {
        List<UnitTotals> totals = s.totals();
        StringBuilder b = new StringBuilder(96 + 96 * totals.size());
        b.append("{\"recordCount\":").append(s.recordCount()).append(",\"firstTime\":");
        appendInstant(b, s.firstTime());
        b.append(",\"lastTime\":");
        appendInstant(b, s.lastTime());
        b.append(",\"totals\":[");
        for (int i = 0; i < totals.size(); i++) {
            UnitTotals t = totals.get(i);
            if (!isPlain(t.unit())) {
                return json(g -> writeSummary(g, s));
            }
            b.append(i == 0 ? "{\"unit\":\"" : ",{\"unit\":\"")
                    .append(t.unit())
                    .append("\",\"positive\":")
                    .append(t.positive().toPlainString())
                    .append(",\"negative\":")
                    .append(t.negative().toPlainString())
                    .append(",\"net\":")
                    .append(t.net().toPlainString())
                    .append('}');
        }
        return b.append("]}").toString();
    }

    /** What {@code content} writes, as one string: for stored and published JSON documents. */
    public static String json(Consumer<JsonGenerator> content) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            content.accept(g);
        }
        return out.toString();
    }

    private static void appendInstant(StringBuilder b, Instant instant) {
        if (instant == null) {
            b.append("null");
        } else {
            b.append('"').append(UtcTimestamps.format(instant)).append('"');
        }
    }

    /**
     * True when Jackson writes {@code s} inside its quotes unchanged: printable ASCII without
     * {@code "}, {@code \} and {@code /} (which a generator may be configured to escape). Anything
     * else goes through Jackson.
     */
    public static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/') {
                return false;
            }
        }
        return true;
    }

    /** {@code [{"field","message"}, ...]}: the broken rules of an invalid input. */
    public static void writeFieldErrors(JsonGenerator g, List<FieldError> errors) {
        g.writeStartArray();
        for (FieldError e : errors) {
            g.writeStartObject();
            g.writeStringProperty("field", e.field());
            g.writeStringProperty("message", e.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
