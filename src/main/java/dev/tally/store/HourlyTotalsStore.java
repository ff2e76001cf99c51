package dev.tally.store;

import dev.tally.record.RecordType;
import dev.tally.record.TallyRecord;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code hourly_totals} table (V3): count, sum and largest scale of the records per
 * {@code (destinationId, unit, type)} and UTC hour of their {@code time}. Written only in the write
 * transaction, under the sequencer lock, so it always sums exactly the committed records; read by
 * the totals-only aggregation.
 */
@Repository
public class HourlyTotalsStore {

    private static final String UPDATE = """
            UPDATE hourly_totals
            SET record_count = record_count + ?, amount_sum = amount_sum + ?,
                max_scale = CASE WHEN max_scale < ? THEN ? ELSE max_scale END
            WHERE destination_id = ? AND unit = ? AND record_type = ? AND hour_start = ?""";

    private static final String INSERT = """
            INSERT INTO hourly_totals (destination_id, unit, record_type, hour_start, record_count, amount_sum, max_scale)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;

    public HourlyTotalsStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One row's key. */
    public record Bucket(String destinationId, String unit, RecordType type, Instant hourStart) {}

    /** What a batch adds to one bucket. */
    public record Delta(long count, BigDecimal sum, int maxScale) {
        Delta plus(TallyRecord r) {
            return new Delta(count + 1, sum.add(r.value()), Math.max(maxScale, r.value().scale()));
        }
    }

    /** The batch's records summed per bucket. */
    public static Map<Bucket, Delta> deltas(List<TallyRecord> records) {
        Map<Bucket, Delta> deltas = new HashMap<>();
        for (TallyRecord r : records) {
            Bucket b = new Bucket(r.destinationId(), r.unit(), r.type(), r.time().truncatedTo(ChronoUnit.HOURS));
            deltas.put(b, deltas.getOrDefault(b, new Delta(0, BigDecimal.ZERO, 0)).plus(r));
        }
        return deltas;
    }

    /** Adds {@code deltas}: an UPDATE per bucket, then an INSERT for the buckets that had no row. Both batched. */
    public void add(Map<Bucket, Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<Map.Entry<Bucket, Delta>> all = new ArrayList<>(deltas.entrySet());
        int[][] updated = jdbc.batchUpdate(UPDATE, all, all.size(), (PreparedStatement ps, Map.Entry<Bucket, Delta> e) -> {
            Bucket b = e.getKey();
            Delta d = e.getValue();
            ps.setLong(1, d.count());
            ps.setBigDecimal(2, d.sum());
            ps.setShort(3, (short) d.maxScale());
            ps.setShort(4, (short) d.maxScale());
            ps.setString(5, b.destinationId());
            ps.setString(6, b.unit());
            ps.setString(7, b.type().wire());
            Jdbc.setInstant(ps, 8, b.hourStart());
        });
        List<Map.Entry<Bucket, Delta>> missing = new ArrayList<>();
        int i = 0;
        for (int[] chunk : updated) {
            for (int n : chunk) {
                if (n == 0) {
                    missing.add(all.get(i));
                }
                i++;
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, missing, missing.size(), (PreparedStatement ps, Map.Entry<Bucket, Delta> e) -> {
            Bucket b = e.getKey();
            Delta d = e.getValue();
            ps.setString(1, b.destinationId());
            ps.setString(2, b.unit());
            ps.setString(3, b.type().wire());
            Jdbc.setInstant(ps, 4, b.hourStart());
            ps.setLong(5, d.count());
            ps.setBigDecimal(6, d.sum());
            ps.setShort(7, (short) d.maxScale());
        });
    }
}
