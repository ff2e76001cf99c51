package dev.tally.query;

import dev.tally.record.RecordJson;
import dev.tally.record.RecordType;
import dev.tally.record.TallyRecord;
import dev.tally.record.UnitTotals;
import dev.tally.store.AggregationFilter;
import dev.tally.store.AggregationReader;
import dev.tally.store.AggregationReader.Cursor;
import dev.tally.store.AggregationReader.TotalsRow;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * Writes the JSON of {@code GET /v1/aggregations} as the store's rows arrive:
 * {@code {"from","to","type","groups":[...]}}, each group's totals first, then its records. The
 * response is started only once the statements run (a failure before that is still a problem
 * response). Nothing is collected but one group's totals; the rows of a binary COPY are written by
 * {@link CopyAggregation}, to the same bytes.
 */
final class AggregationResponse implements AggregationReader.Sink {

    private final AggregationQuery query;
    private final HttpServletResponse response;

    AggregationResponse(AggregationQuery query, HttpServletResponse response) {
        this.query = query;
        this.response = response;
    }

    @Override
    public void fromCursors(Cursor<TotalsRow> totals, @Nullable Cursor<TallyRecord> records)
            throws IOException, SQLException {
        try (JsonGenerator g = start()) {
            writeHead(g);
            writeGroups(g, totals, records);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    @Override
    public void fromCopy(Cursor<byte[]> messages) throws IOException, SQLException {
        try (JsonGenerator g = start()) {
            writeHead(g);
            new CopyAggregation(g).write(messages);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private JsonGenerator start() throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        return RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream());
    }

    /** {@code {"from","to","type","groups":[}: the groups' elements and both ends are the caller's. */
    private void writeHead(JsonGenerator g) {
        AggregationFilter f = query.filter();
        g.writeStartObject();
        g.writeName("from");
        RecordJson.writeInstant(g, f.from());
        g.writeName("to");
        RecordJson.writeInstant(g, f.to());
        g.writeName("type");
        if (f.type() == null) {
            g.writeNull();
        } else {
            g.writeString(f.type().wire());
        }
        g.writeName("groups");
        g.writeStartArray();
    }

    /** The two cursors merged by destination: both are ordered by it, and every record has its totals row. */
    private static void writeGroups(JsonGenerator g, Cursor<TotalsRow> totals, @Nullable Cursor<TallyRecord> records)
            throws SQLException {
        TotalsRow t = totals.next();
        TallyRecord r = records == null ? null : records.next();
        while (t != null) {
            String destination = t.destinationId();
            long count = 0;
            Map<String, UnitTotals> units = new TreeMap<>();
            while (t != null && destination.equals(t.destinationId())) {
                String unit = t.unit();
                count += t.recordCount();
                UnitTotals u = units.getOrDefault(unit, UnitTotals.zero(unit));
                units.put(
                        unit,
                        t.type() == RecordType.POSITIVE
                                ? new UnitTotals(unit, t.sum(), u.negative())
                                : new UnitTotals(unit, u.positive(), t.sum()));
                t = totals.next();
            }
            g.writeStartObject();
            g.writeStringProperty("destinationId", destination);
            g.writeNumberProperty("recordCount", count);
            g.writeName("totals");
            RecordJson.writeTotals(g, List.copyOf(units.values()));
            if (records != null) {
                g.writeName("records");
                g.writeStartArray();
                while (r != null && destination.equals(r.destinationId())) {
                    RecordJson.writeRecord(g, r);
                    r = records.next();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }
}
