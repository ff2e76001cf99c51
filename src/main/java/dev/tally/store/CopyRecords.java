package dev.tally.store;

import dev.tally.record.TallyRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteConverter;

/**
 * The write transaction's records into PostgreSQL by binary COPY ({@code COPY ... FROM STDIN
 * (FORMAT binary)}, pgjdbc's {@code CopyManager}): the rows travel in the types' own binary forms
 * and skip the executor's per-row INSERT work and the arrays' parsing (issue 11's lab:
 * docs/performance.md). Runs on the transaction's connection, so the rows commit or roll back
 * with the rest of the unit of work.
 *
 * <p>The format (PostgreSQL docs, "COPY", binary format): a signature and two int32 zeros; per row
 * an int16 column count, then per column an int32 length (-1 for NULL) and the value as the
 * type's {@code recv} function reads it; an int16 -1 at the end.
 */
final class CopyRecords {

    static final String COPY = """
            COPY records (record_id, seq, record_time, source_id, destination_id, record_type, amount, amount_scale,
                          unit, reference, processed_at, summary_previous, traceparent)
            FROM STDIN (FORMAT binary)""";

    private static final int COLUMNS = 13;

    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };

    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** Bytes sent per {@code writeToCopy}: the buffer stays small whatever the batch. */
    private static final int CHUNK = 256 * 1024;

    private byte[] buf = new byte[CHUNK + 64 * 1024];
    private int len;

    private CopyRecords() {}

    /** Copies {@code rows}, stamped {@code processedAt}, on {@code connection}'s open transaction. */
    static void copy(Connection connection, List<RecordStore.NewRow> rows, Instant processedAt) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            new CopyRecords().send(in, rows, PostgresBatchWriter.epochMicros(processedAt) - PG_EPOCH_MICROS);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void send(CopyIn in, List<RecordStore.NewRow> rows, long processedAt) throws SQLException {
        bytes(HEADER);
        for (RecordStore.NewRow row : rows) {
            TallyRecord r = row.record();
            int16(COLUMNS);
            text(r.recordId());
            int64Column(row.seq());
            int64Column(PostgresBatchWriter.epochMicros(r.time()) - PG_EPOCH_MICROS);
            text(r.sourceId());
            text(r.destinationId());
            text(r.type().wire());
            column(ByteConverter.numeric(r.value()));
            int32(2);
            int16(r.value().scale());
            text(r.unit());
            text(r.reference());
            int64Column(processedAt);
            text(row.summaryPrevious());
            text(row.traceparent());
            if (len >= CHUNK) {
                in.writeToCopy(buf, 0, len);
                len = 0;
            }
        }
        int16(-1);
        in.writeToCopy(buf, 0, len);
        len = 0;
    }

    private void text(@Nullable String value) {
        if (value == null) {
            int32(-1);
            return;
        }
        column(value.getBytes(StandardCharsets.UTF_8));
    }

    private void column(byte[] value) {
        int32(value.length);
        bytes(value);
    }

    private void int64Column(long value) {
        int32(8);
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (value >>> shift);
        }
    }

    private void int32(int value) {
        room(4);
        buf[len++] = (byte) (value >>> 24);
        buf[len++] = (byte) (value >>> 16);
        buf[len++] = (byte) (value >>> 8);
        buf[len++] = (byte) value;
    }

    private void int16(int value) {
        room(2);
        buf[len++] = (byte) (value >>> 8);
        buf[len++] = (byte) value;
    }

    private void bytes(byte[] value) {
        room(value.length);
        System.arraycopy(value, 0, buf, len, value.length);
        len += value.length;
    }

    /** One field can be larger than the chunk (a reference of 1,024 four-byte characters is not). */
    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
