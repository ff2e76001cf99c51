package dev.tally.store;

import dev.tally.record.RecordJson;
import dev.tally.record.Summary;
import dev.tally.record.UnitTotals;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/**
 * The {@code summaries} table: one row per {@code (destinationId, reference)}. Read and written only
 * inside the write transaction, under the sequencer lock, so a summary is never computed from a
 * stale row.
 */
@Repository
public class SummaryStore {

    static final String COLUMNS = "destination_id, reference, record_count, first_time, last_time, totals";

    private static final String INSERT = "INSERT INTO summaries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";

    private static final String UPDATE = """
            UPDATE summaries SET record_count = ?, first_time = ?, last_time = ?, totals = ?
            WHERE destination_id = ? AND reference = ?""";

    private final JdbcTemplate jdbc;
    private final Dialect dialect;

    public SummaryStore(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    public record Key(String destinationId, String reference) {}

    /** The new states of a unit of work's keys: rows to UPDATE (the key had a row) and to INSERT. */
    public record Changes(List<Map.Entry<Key, Summary>> updates, List<Map.Entry<Key, Summary>> inserts) {

        public static Changes of(Map<Key, Summary> changed, Collection<Key> existing) {
            List<Map.Entry<Key, Summary>> updates = new ArrayList<>();
            List<Map.Entry<Key, Summary>> inserts = new ArrayList<>();
            for (Map.Entry<Key, Summary> e : changed.entrySet()) {
                (existing.contains(e.getKey()) ? updates : inserts).add(e);
            }
            return new Changes(updates, inserts);
        }
    }

    /**
     * The stored summaries among {@code keys}; a key with no row has had no record yet (one statement
     * or several: {@link Dialect#findSummaries}).
     */
    public Map<Key, Summary> find(Collection<Key> keys) {
        Map<Key, Summary> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        RowCallbackHandler collect = rs -> found.put(
                new Key(rs.getString(1), rs.getString(2)),
                new Summary(
                        rs.getLong(3), Jdbc.getInstant(rs, 4), Jdbc.getInstant(rs, 5), decodeTotals(rs.getString(6))));
        dialect.findSummaries(jdbc, keys, collect);
        return found;
    }

    /**
     * Writes the new state of every changed key: an UPDATE for keys that had a row when read,
     * an INSERT for the others. Both batched.
     */
    void save(Changes split) {
        List<Map.Entry<Key, Summary>> updates = split.updates();
        List<Map.Entry<Key, Summary>> inserts = split.inserts();
        if (!updates.isEmpty()) {
            jdbc.batchUpdate(UPDATE, updates, updates.size(), (PreparedStatement ps, Map.Entry<Key, Summary> e) -> {
                Summary s = e.getValue();
                ps.setLong(1, s.recordCount());
                Jdbc.setInstant(ps, 2, s.firstTime());
                Jdbc.setInstant(ps, 3, s.lastTime());
                ps.setString(4, encodeTotals(s.totals()));
                ps.setString(5, e.getKey().destinationId());
                ps.setString(6, e.getKey().reference());
            });
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(INSERT, inserts, inserts.size(), (PreparedStatement ps, Map.Entry<Key, Summary> e) -> {
                Summary s = e.getValue();
                ps.setString(1, e.getKey().destinationId());
                ps.setString(2, e.getKey().reference());
                ps.setLong(3, s.recordCount());
                Jdbc.setInstant(ps, 4, s.firstTime());
                Jdbc.setInstant(ps, 5, s.lastTime());
                ps.setString(6, encodeTotals(s.totals()));
            });
        }
    }

    /**
     * {@code [{"unit":"SEK","positive":"125.50","negative":"0"}]}: decimals as strings keep their
     * scale. Built directly when every unit is {@linkplain RecordJson#isPlain plain} (one per changed
     * summary on the writer thread), else by Jackson; the same characters either way.
     */
    public static String encodeTotals(List<UnitTotals> totals) {
        StringBuilder b = new StringBuilder(2 + 72 * totals.size()).append('[');
        for (int i = 0; i < totals.size(); i++) {
            UnitTotals t = totals.get(i);
            if (!RecordJson.isPlain(t.unit())) {
                return encodeTotalsByJackson(totals);
            }
            b.append(i == 0 ? "{\"unit\":\"" : ",{\"unit\":\"")
                    .append(t.unit())
                    .append("\",\"positive\":\"")
                    .append(t.positive().toPlainString())
                    .append("\",\"negative\":\"")
                    .append(t.negative().toPlainString())
                    .append("\"}");
        }
        return b.append(']').toString();
    }

    static String encodeTotalsByJackson(List<UnitTotals> totals) {
        return RecordJson.json(g -> {
            g.writeStartArray();
            for (UnitTotals t : totals) {
                g.writeStartObject();
                g.writeStringProperty("unit", t.unit());
                g.writeStringProperty("positive", t.positive().toPlainString());
                g.writeStringProperty("negative", t.negative().toPlainString());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static List<UnitTotals> decodeTotals(String json) {
        List<UnitTotals> totals = new ArrayList<>();
        try (JsonParser p = RecordJson.FACTORY.createParser(ObjectReadContext.empty(), json)) {
            p.nextToken(); // START_ARRAY
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String unit = null;
                BigDecimal positive = null;
                BigDecimal negative = null;
                String name;
                while ((name = p.nextName()) != null) {
                    p.nextToken();
                    switch (name) {
                        case "unit" -> unit = p.getString();
                        case "positive" -> positive = new BigDecimal(p.getString());
                        case "negative" -> negative = new BigDecimal(p.getString());
                        default -> throw new IllegalStateException("unexpected field in stored totals: " + name);
                    }
                }
                totals.add(new UnitTotals(unit, positive, negative));
            }
        }
        return totals;
    }
}
