package dev.tally.query;

import static dev.tally.store.AggregationReader.CopyColumn.AMOUNT;
import static dev.tally.store.AggregationReader.CopyColumn.COLUMNS;
import static dev.tally.store.AggregationReader.CopyColumn.COUNT;
import static dev.tally.store.AggregationReader.CopyColumn.DESTINATION;
import static dev.tally.store.AggregationReader.CopyColumn.RECORD_ID;
import static dev.tally.store.AggregationReader.CopyColumn.REFERENCE;
import static dev.tally.store.AggregationReader.CopyColumn.SCALE;
import static dev.tally.store.AggregationReader.CopyColumn.SOURCE;
import static dev.tally.store.AggregationReader.CopyColumn.TIME;
import static dev.tally.store.AggregationReader.CopyColumn.TYPE;
import static dev.tally.store.AggregationReader.CopyColumn.UNIT;

import dev.tally.record.RecordJson;
import dev.tally.record.UnitTotals;
import dev.tally.store.AggregationReader;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Writes the {@code groups} array's elements of {@code GET /v1/aggregations} from the rows of the
 * store's binary COPY ({@link AggregationReader.Sink#fromCopy}), with the same bytes as
 * {@link AggregationResponse}'s cursor path. Texts go to the JSON as the UTF-8 bytes they arrive
 * in, times and numerics are formatted from their binary forms ({@link PgBinary}): no object per
 * value, the reason this path groups the rows itself (docs/performance.md, item 4).
 */
final class CopyAggregation {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private static final SerializableString RECORD_ID_NAME = new SerializedString("recordId");
    private static final SerializableString TIME_NAME = new SerializedString("time");
    private static final SerializableString SOURCE_NAME = new SerializedString("sourceId");
    private static final SerializableString DESTINATION_NAME = new SerializedString("destinationId");
    private static final SerializableString TYPE_NAME = new SerializedString("type");
    private static final SerializableString VALUE_NAME = new SerializedString("value");
    private static final SerializableString UNIT_NAME = new SerializedString("unit");
    private static final SerializableString REFERENCE_NAME = new SerializedString("reference");

    private final JsonGenerator g;
    private final PgBinary.TimeFormat times = new PgBinary.TimeFormat();
    private final char[] time = new char[PgBinary.TimeFormat.MAX_CHARS];
    private char[] decimal = new char[64];

    // the current row: one CopyData message, and where each column lies in it (length -1: NULL)
    private byte[] row;
    private final int[] at = new int[COLUMNS];
    private final int[] length = new int[COLUMNS];

    CopyAggregation(JsonGenerator g) {
        this.g = g;
    }

    /** Writes the groups of {@code messages}, in the order they come (the API's); each group whole. */
    void write(AggregationReader.Cursor<byte[]> messages) throws SQLException {
        byte[] destination = null; // of the group being written
        long count = 0;
        Map<String, UnitTotals> units = new TreeMap<>();
        boolean recordsStarted = false;
        boolean first = true;
        byte[] message;
        while ((message = messages.next()) != null) {
            int pos = 0;
            if (first) {
                pos = skipHeader(message);
                first = false;
            }
            if (!readRow(message, pos)) {
                continue; // the trailer
            }
            if (destination == null
                    || !Arrays.equals(
                            row,
                            at[DESTINATION],
                            at[DESTINATION] + length[DESTINATION],
                            destination,
                            0,
                            destination.length)) {
                if (destination != null) {
                    endGroup(destination, count, units, recordsStarted);
                }
                destination = Arrays.copyOfRange(row, at[DESTINATION], at[DESTINATION] + length[DESTINATION]);
                count = 0;
                units = new TreeMap<>();
                recordsStarted = false;
            }
            if (length[COUNT] >= 0) {
                if (recordsStarted) {
                    throw new IllegalStateException("Totals after records for one destination: the order is broken");
                }
                count += PgBinary.int64(row, at[COUNT]);
                String unit = text(UNIT);
                BigDecimal sum = new BigDecimal(decimal, 0, decimal(AMOUNT, PgBinary.int16(row, at[SCALE])));
                UnitTotals u = units.getOrDefault(unit, UnitTotals.zero(unit));
                units.put(
                        unit,
                        "positive".equals(text(TYPE))
                                ? new UnitTotals(unit, sum, u.negative())
                                : new UnitTotals(unit, u.positive(), sum));
            } else {
                if (!recordsStarted) {
                    startGroup(destination, count, units);
                    recordsStarted = true;
                }
                writeRecord();
            }
        }
        if (destination != null) {
            endGroup(destination, count, units, recordsStarted);
        }
    }

    private void startGroup(byte[] destination, long count, Map<String, UnitTotals> units) {
        g.writeStartObject();
        g.writeName(DESTINATION_NAME);
        g.writeUTF8String(destination, 0, destination.length);
        g.writeNumberProperty("recordCount", count);
        g.writeName("totals");
        RecordJson.writeTotals(g, List.copyOf(units.values()));
        g.writeName("records");
        g.writeStartArray();
    }

    private void endGroup(byte[] destination, long count, Map<String, UnitTotals> units, boolean recordsStarted) {
        if (!recordsStarted) {
            startGroup(destination, count, units); // not expected: totals come from the same records
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The same fields, order and texts as {@link RecordJson#writeRecord}. */
    private void writeRecord() {
        g.writeStartObject();
        writeText(RECORD_ID_NAME, RECORD_ID);
        g.writeName(TIME_NAME);
        g.writeString(time, 0, times.format(PgBinary.int64(row, at[TIME]), time));
        writeText(SOURCE_NAME, SOURCE);
        writeText(DESTINATION_NAME, DESTINATION);
        writeText(TYPE_NAME, TYPE);
        g.writeName(VALUE_NAME);
        g.writeNumber(decimal, 0, decimal(AMOUNT, PgBinary.int16(row, at[SCALE])));
        writeText(UNIT_NAME, UNIT);
        writeText(REFERENCE_NAME, REFERENCE);
        g.writeEndObject();
    }

    private void writeText(SerializableString name, int column) {
        g.writeName(name);
        g.writeUTF8String(row, at[column], length[column]);
    }

    private String text(int column) {
        return new String(row, at[column], length[column], java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The numeric column as plain text at {@code scale}, into {@link #decimal}; returns its length. */
    private int decimal(int column, int scale) {
        int needed = PgBinary.maxDecimalChars(row, at[column], scale);
        if (decimal.length < needed) {
            decimal = new char[needed];
        }
        return PgBinary.plainDecimal(row, at[column], scale, decimal);
    }

    /** Checks the binary COPY header at the start of the first message; returns where the first row starts. */
    private static int skipHeader(byte[] message) {
        if (message.length < SIGNATURE.length + 8
                || !Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalStateException("Not a binary COPY stream");
        }
        int extension = PgBinary.int32(message, SIGNATURE.length + 4);
        return SIGNATURE.length + 8 + extension;
    }

    /**
     * Locates the columns of the row at {@code pos}; false for the trailer. PostgreSQL sends one
     * row per CopyData message (the protocol's rule for copy-out), the header with the first.
     */
    private boolean readRow(byte[] message, int pos) {
        int fields = PgBinary.int16(message, pos);
        pos += 2;
        if (fields == -1) {
            return false;
        }
        if (fields != COLUMNS) {
            throw new IllegalStateException("A COPY row of " + fields + " columns, expected " + COLUMNS);
        }
        for (int i = 0; i < COLUMNS; i++) {
            int len = PgBinary.int32(message, pos);
            pos += 4;
            at[i] = pos;
            length[i] = len;
            if (len > 0) {
                pos += len;
            }
        }
        if (pos != message.length) {
            throw new IllegalStateException("A COPY message that is not exactly one row");
        }
        row = message;
        return true;
    }
}
