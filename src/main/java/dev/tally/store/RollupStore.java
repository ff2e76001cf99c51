package dev.tally.store;

import dev.tally.record.RecordType;
import dev.tally.record.TallyRecord;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The totals rollups ({@code hourly_totals} V3, {@code daily_totals} and {@code weekly_totals} V6):
 * count, sum and largest scale of the records per {@code (destinationId, unit, type)} and UTC
 * bucket of their {@code time}, one table per {@link Rollup} level. Written only in the write
 * transaction, under the sequencer lock, so every level always sums exactly the committed records;
 * read by the totals-only aggregation.
 *
 * <p>Sums are exact: {@link BigDecimal} here, unconstrained {@code NUMERIC} in the tables. The
 * largest scale is kept because a total is written with the largest scale of the records it sums.
 */
@Repository
public class RollupStore {

    /** {@code %1$s} the level's table, {@code %2$s} its start column. */
    private static final String UPDATE = """
            UPDATE %1$s
            SET record_count = record_count + ?, amount_sum = amount_sum + ?,
                max_scale = CASE WHEN max_scale < ? THEN ? ELSE max_scale END
            WHERE destination_id = ? AND unit = ? AND record_type = ? AND %2$s = ?""";

    private static final String INSERT = """
            INSERT INTO %1$s (destination_id, unit, record_type, %2$s, record_count, amount_sum, max_scale)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;

    public RollupStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One row's key within a level. */
    public record Bucket(String destinationId, String unit, RecordType type, Instant start) {}

    /** What a batch adds to one bucket. */
    public record Delta(long count, BigDecimal sum, int maxScale) {
        static final Delta ZERO = new Delta(0, BigDecimal.ZERO, 0);

        Delta plus(TallyRecord r) {
            return new Delta(count + 1, sum.add(r.value()), Math.max(maxScale, r.value().scale()));
        }

        Delta plus(Delta other) {
            return new Delta(count + other.count, sum.add(other.sum), Math.max(maxScale, other.maxScale));
        }
    }

    /**
     * The batch's records summed per bucket, for every level (each level's map summed per key, as ON
     * CONFLICT requires). Only the finest level reads the records; each coarser one sums the level
     * before it, whose buckets nest in its own ({@link Rollup}): the writer's serial work grows with
     * the records once, not once per level.
     */
    public static Map<Rollup, Map<Bucket, Delta>> deltas(List<TallyRecord> records) {
        Map<Rollup, Map<Bucket, Delta>> deltas = new EnumMap<>(Rollup.class);
        Map<Bucket, Delta> finer = null;
        for (Rollup level : Rollup.values()) {
            Map<Bucket, Delta> buckets = new HashMap<>();
            if (finer == null) {
                for (TallyRecord r : records) {
                    Bucket b = new Bucket(r.destinationId(), r.unit(), r.type(), level.floor(r.time()));
                    buckets.put(b, buckets.getOrDefault(b, Delta.ZERO).plus(r));
                }
            } else {
                for (Map.Entry<Bucket, Delta> e : finer.entrySet()) {
                    Bucket f = e.getKey();
                    buckets.merge(new Bucket(f.destinationId(), f.unit(), f.type(), level.floor(f.start())), e.getValue(),
                            Delta::plus);
                }
            }
            deltas.put(level, buckets);
            finer = buckets;
        }
        return deltas;
    }

    /** Adds {@code deltas} to every level: per level an UPDATE per bucket, then an INSERT for the buckets that had no row. Batched. */
    public void add(Map<Rollup, Map<Bucket, Delta>> deltas) {
        deltas.forEach(this::add);
    }

    private void add(Rollup level, Map<Bucket, Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<Map.Entry<Bucket, Delta>> all = new ArrayList<>(deltas.entrySet());
        String update = UPDATE.formatted(level.table(), level.startColumn());
        int[][] updated = jdbc.batchUpdate(update, all, all.size(), (PreparedStatement ps, Map.Entry<Bucket, Delta> e) -> {
            Bucket b = e.getKey();
            Delta d = e.getValue();
            ps.setLong(1, d.count());
            ps.setBigDecimal(2, d.sum());
            ps.setShort(3, (short) d.maxScale());
            ps.setShort(4, (short) d.maxScale());
            ps.setString(5, b.destinationId());
            ps.setString(6, b.unit());
            ps.setString(7, b.type().wire());
            Jdbc.setInstant(ps, 8, b.start());
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
        String insert = INSERT.formatted(level.table(), level.startColumn());
        jdbc.batchUpdate(insert, missing, missing.size(), (PreparedStatement ps, Map.Entry<Bucket, Delta> e) -> {
            Bucket b = e.getKey();
            Delta d = e.getValue();
            ps.setString(1, b.destinationId());
            ps.setString(2, b.unit());
            ps.setString(3, b.type().wire());
            Jdbc.setInstant(ps, 4, b.start());
            ps.setLong(5, d.count());
            ps.setBigDecimal(6, d.sum());
            ps.setShort(7, (short) d.maxScale());
        });
    }
}
