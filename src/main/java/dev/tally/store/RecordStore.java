package dev.tally.store;

import dev.tally.record.RecordType;
import dev.tally.record.TallyRecord;
import dev.tally.record.TraceParent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code records} table: look-ups by id for dedup and reads, and batched inserts. */
@Repository
public class RecordStore {

    public static final String COLUMNS = """
            record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference""";

    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM records WHERE record_id = ?";

    private static final String INSERT_COLUMNS = """
            record_id, seq, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference,
            processed_at, summary_previous, traceparent""";

    private static final String INSERT =
            "INSERT INTO records (" + INSERT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final Dialect dialect;

    public RecordStore(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /**
     * A record to insert with its processing position, which is also the seq of its notification:
     * the row is the notification (migration V10).
     *
     * @param summaryPrevious the JSON of the notification's {@code summary.previous}
     * @param traceparent     the W3C trace context the record came in with, null for none
     */
    public record NewRow(
            TallyRecord record,
            long seq,
            String summaryPrevious,
            @Nullable String traceparent) {

        public NewRow {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(summaryPrevious, "summaryPrevious");
            if (seq <= 0) {
                throw new IllegalArgumentException("seq starts at 1: " + seq);
            }
            if (traceparent != null && !TraceParent.isValid(traceparent)) {
                throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
            }
        }
    }

    public Optional<TallyRecord> findById(String recordId) {
        return jdbc.query(FIND_BY_ID, (rs, n) -> map(rs), recordId).stream().findFirst();
    }

    /** The stored records among {@code ids}, keyed by id (one statement or several: {@link Dialect#findRecords}). */
    public Map<String, TallyRecord> findByIds(Collection<String> ids) {
        Map<String, TallyRecord> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        dialect.findRecords(jdbc, ids, rs -> {
            TallyRecord r = map(rs);
            found.put(r.recordId(), r);
        });
        return found;
    }

    public void insert(List<NewRow> rows, Instant processedAt) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, rows, rows.size(), (PreparedStatement ps, NewRow row) -> {
            TallyRecord r = row.record();
            ps.setString(1, r.recordId());
            ps.setLong(2, row.seq());
            Jdbc.setInstant(ps, 3, r.time());
            ps.setString(4, r.sourceId());
            ps.setString(5, r.destinationId());
            ps.setString(6, r.type().wire());
            ps.setBigDecimal(7, r.value());
            ps.setShort(8, (short) r.value().scale());
            ps.setString(9, r.unit());
            ps.setString(10, r.reference());
            Jdbc.setInstant(ps, 11, processedAt);
            ps.setString(12, row.summaryPrevious());
            ps.setString(13, row.traceparent());
        });
    }

    /** Maps a row selected with {@link #COLUMNS}. */
    public static TallyRecord map(ResultSet rs) throws SQLException {
        return new TallyRecord(
                rs.getString("record_id"),
                Jdbc.getInstant(rs, "record_time"),
                rs.getString("source_id"),
                rs.getString("destination_id"),
                RecordType.fromWire(rs.getString("record_type")),
                Jdbc.withScale(rs.getBigDecimal("amount"), rs.getShort("amount_scale")),
                rs.getString("unit"),
                rs.getString("reference"));
    }
}
