package dev.tally.query;

import dev.tally.record.RecordJson;
import dev.tally.record.UnitTotals;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * The groups of {@code GET /v1/aggregations} WITH records on PostgreSQL: the per-unit totals and
 * the records as ONE statement, read through {@code COPY ... TO STDOUT (FORMAT binary)}.
 *
 * <p>Why (docs/performance.md, "What the profile showed"): with a JDBC cursor, PostgreSQL and the
 * service take turns — the server produces a fetch of rows and waits while the service turns them
 * into {@code OffsetDateTime}, {@code BigDecimal} and {@code String} objects and JSON; COPY streams
 * without a round trip per fetch, so the server's index scan runs while the service writes JSON
 * (TCP flow control keeps memory flat). The binary form hands texts over as UTF-8 bytes (written to
 * the JSON as they are), times as microseconds and numerics as base-10000 digits, all formatted
 * here without intermediate objects ({@link PgBinary}).
 *
 * <p>One statement: the totals rows of a destination sort before its records (their time is
 * {@code -infinity}, which no record has: the API accepts years 0001-9999 only), so the plan is a
 * merge of the sorted totals (one row per destination, unit and type) with the records in index
 * order, and both come from the statement's single snapshot. COPY takes no parameters: the filters
 * are inlined as literals quoted by the driver ({@link PGConnection#escapeLiteral}).
 */
final class CopyAggregation {

    private static final String COPY = """
            COPY (SELECT destination_id, '-infinity'::timestamptz AS record_time, NULL::varchar AS record_id,
                         NULL::varchar AS source_id, record_type, SUM(amount) AS amount,
                         MAX(amount_scale) AS amount_scale, unit, NULL::varchar AS reference, COUNT(*) AS n
                  FROM records%s
                  GROUP BY destination_id, unit, record_type
                  UNION ALL
                  SELECT destination_id, record_time, record_id, source_id, record_type, amount, amount_scale,
                         unit, reference, NULL
                  FROM records%s
                  ORDER BY destination_id, record_time, record_id) TO STDOUT (FORMAT binary)""";

    // the columns of COPY, in order
    private static final int DESTINATION = 0;
    private static final int TIME = 1;
    private static final int RECORD_ID = 2;
    private static final int SOURCE = 3;
    private static final int TYPE = 4;
    private static final int AMOUNT = 5;
    private static final int SCALE = 6;
    private static final int UNIT = 7;
    private static final int REFERENCE = 8;
    private static final int COUNT = 9; // NULL on record rows
    private static final int COLUMNS = 10;

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

    private CopyAggregation(JsonGenerator g) {
        this.g = g;
    }

    /**
     * Writes the {@code groups} array's elements for {@code query} (which must want records), in
     * the API's order, from the connection's current transaction.
     */
    static void writeGroups(JsonGenerator g, AggregationQuery query, PGConnection pg) throws SQLException {
        AggregationQuery.Where where = query.where();
        String condition = inline(where, pg);
        CopyOut copy = pg.getCopyAPI().copyOut(COPY.formatted(condition, condition));
        new CopyAggregation(g).write(copy); // on failure mid-COPY the caller closes the connection
    }

    /** The WHERE text with each {@code ?} replaced by its argument as a quoted literal. */
    static String inline(AggregationQuery.Where where, PGConnection pg) throws SQLException {
        String sql = where.sql();
        List<Object> args = where.args();
        StringBuilder out = new StringBuilder(sql.length() + 32 * args.size());
        int next = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch != '?') {
                out.append(ch);
            } else if (args.get(next++) instanceof Instant instant) {
                out.append('\'').append(instant).append("'::timestamptz");
            } else {
                out.append('\'')
                        .append(pg.escapeLiteral((String) args.get(next - 1)))
                        .append('\'');
            }
        }
        if (next != args.size()) {
            throw new IllegalStateException(
                    "The WHERE text has " + next + " placeholders for " + args.size() + " arguments");
        }
        return out.toString();
    }

    private void write(CopyOut copy) throws SQLException {
        byte[] destination = null; // of the group being written
        long count = 0;
        Map<String, UnitTotals> units = new TreeMap<>();
        boolean recordsStarted = false;
        boolean first = true;
        byte[] message;
        while ((message = copy.readFromCopy()) != null) {
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
