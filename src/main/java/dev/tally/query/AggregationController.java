package dev.tally.query;

import dev.tally.record.FieldError;
import dev.tally.record.RecordJson;
import dev.tally.record.UnitTotals;
import dev.tally.store.Dialect;
import dev.tally.store.Jdbc;
import dev.tally.store.RecordStore;
import dev.tally.web.BadParameter;
import dev.tally.web.InvalidField;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.http.MediaType;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * {@code GET /v1/aggregations}: groups by destinationId (in code-point order), each with its
 * record count, totals per unit and (unless {@code includeRecords=false}) every matching record
 * ordered by time then recordId.
 *
 * <p>Streamed with flat memory: two cursors over ONE read-only REPEATABLE READ transaction (so
 * both see the same snapshot) are merged by destination: the per-(destination, unit, type) totals,
 * and the records. Each group's totals are written first, then its records as they are fetched
 * ({@link #FETCH_ROWS} at a time). Nothing is collected but one group's totals.
 *
 * <p>On PostgreSQL, WITH records, the same groups come from ONE statement read through binary COPY
 * instead ({@link CopyAggregation}): no round trip per fetch, so the server's scan overlaps the
 * JSON writing. H2 has no COPY and keeps the two cursors.
 *
 * <p>With {@code includeRecords=false} the totals come from the rollups (weekly, daily and hourly
 * totals, V3/V6) for the whole buckets of the window and from records only for its partial hours
 * ({@link AggregationQuery#rollupTotals}, plus the records not yet folded into them): the cost grows with the groups, not with the records
 * stored or the window's length.
 */
@RestController
class AggregationController {

    static final int FETCH_ROWS = 1_000;

    private static final String TOTALS = """
            SELECT destination_id, unit, record_type, COUNT(*), SUM(amount), MAX(amount_scale)
            FROM records%s
            GROUP BY destination_id, unit, record_type
            ORDER BY destination_id, unit, record_type""";

    private static final String RECORDS = """
            SELECT %s
            FROM records%s
            ORDER BY destination_id, record_time, record_id""";

    private final DataSource dataSource;
    private final Dialect dialect;

    AggregationController(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    @GetMapping("/v1/aggregations")
    void aggregate(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String destinationId,
            @RequestParam(required = false) String sourceId,
            @RequestParam(required = false) String reference,
            @RequestParam(required = false) String unit,
            @RequestParam(required = false) String includeRecords,
            HttpServletResponse response)
            throws IOException, SQLException {
        List<FieldError> errors = new ArrayList<>();
        AggregationQuery query = AggregationQuery.parse(
                from, to, type, destinationId, sourceId, reference, unit, includeRecords, errors);
        if (!errors.isEmpty()) {
            throw new BadParameter(errors.stream()
                    .map(e -> new InvalidField(e.field(), e.message()))
                    .toList());
        }
        AggregationQuery.Where where = query.where();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(dialect.aggregationIsolation());
            for (String setting : dialect.aggregationSettings()) {
                try (Statement s = c.createStatement()) {
                    s.execute(setting);
                }
            }
            if (query.includeRecords() && dialect.streamsByCopy()) {
                streamByCopy(c, query, response);
                return;
            }
            PreparedStatement totals = null;
            PreparedStatement records = null;
            try {
                if (query.answeredByRollups()) {
                    long[] seqs = foldedAndLastSeq(c);
                    AggregationQuery.Where rollups = query.rollupTotals(seqs[0], seqs[1]);
                    totals = prepare(c, rollups.sql(), rollups.args());
                } else {
                    totals = prepare(c, TOTALS.formatted(where.sql()), where.args());
                }
                ResultSet t = totals.executeQuery();
                ResultSet r = null;
                if (query.includeRecords()) {
                    records = prepare(c, RECORDS.formatted(RecordStore.COLUMNS, where.sql()), where.args());
                    r = records.executeQuery();
                }
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                try (JsonGenerator g =
                        RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream())) {
                    write(g, query, t, r);
                }
            } finally {
                JdbcUtils.closeStatement(records);
                JdbcUtils.closeStatement(totals);
                c.rollback(); // read-only: nothing to commit; ends the snapshot
            }
        }
    }

    /** The PostgreSQL path with records ({@link CopyAggregation}); ends the transaction. */
    private static void streamByCopy(Connection c, AggregationQuery query, HttpServletResponse response)
            throws IOException, SQLException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        try (JsonGenerator g =
                RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream())) {
            writeHead(g, query);
            CopyAggregation.writeGroups(g, query, c.unwrap(PGConnection.class));
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException | RuntimeException | SQLException e) {
            // Mostly the client going away mid-stream. A COPY cannot be stopped in-band, and
            // PostgreSQL's cancel request is asynchronous: it can hit the ROLLBACK that follows and
            // leave the connection unusable. So the connection is closed instead (the server ends
            // the COPY on the broken socket) and the pool replaces it.
            c.abort(Runnable::run);
            throw e;
        }
        c.rollback(); // read-only: nothing to commit; ends the snapshot
    }

    /**
     * The rollups' watermark and the sequencer's position in this transaction's snapshot: the seqs
     * of the records not folded yet. Read as values, not sub-selects, so that PostgreSQL plans that
     * range knowing how short it is.
     */
    private static long[] foldedAndLastSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                SELECT w.folded_seq, s.last_notification_seq
                FROM rollup_watermark w CROSS JOIN sequencer s
                WHERE w.id = 1 AND s.id = 1""")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ps.setFetchSize(FETCH_ROWS);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof Instant instant) {
                Jdbc.setInstant(ps, i + 1, instant);
            } else {
                ps.setObject(i + 1, args.get(i));
            }
        }
        return ps;
    }

    /** {@code {"from","to","type","groups":[}: the groups' elements and both ends are the caller's. */
    private static void writeHead(JsonGenerator g, AggregationQuery q) {
        g.writeStartObject();
        g.writeName("from");
        RecordJson.writeInstant(g, q.from());
        g.writeName("to");
        RecordJson.writeInstant(g, q.to());
        g.writeName("type");
        if (q.type() == null) {
            g.writeNull();
        } else {
            g.writeString(q.type().wire());
        }
        g.writeName("groups");
        g.writeStartArray();
    }

    private static void write(JsonGenerator g, AggregationQuery q, ResultSet t, ResultSet r) throws SQLException {
        writeHead(g, q);
        boolean hasTotal = t.next();
        boolean hasRecord = r != null && r.next();
        while (hasTotal) {
            String destination = t.getString(1);
            long count = 0;
            Map<String, UnitTotals> units = new TreeMap<>();
            while (hasTotal && destination.equals(t.getString(1))) {
                String unit = t.getString(2);
                boolean positive = "positive".equals(t.getString(3));
                count += t.getLong(4);
                BigDecimal sum = Jdbc.withScale(t.getBigDecimal(5), t.getShort(6));
                UnitTotals u = units.getOrDefault(unit, UnitTotals.zero(unit));
                units.put(
                        unit,
                        positive ? new UnitTotals(unit, sum, u.negative()) : new UnitTotals(unit, u.positive(), sum));
                hasTotal = t.next();
            }
            g.writeStartObject();
            g.writeStringProperty("destinationId", destination);
            g.writeNumberProperty("recordCount", count);
            g.writeName("totals");
            RecordJson.writeTotals(g, List.copyOf(units.values()));
            if (r != null) {
                g.writeName("records");
                g.writeStartArray();
                while (hasRecord && destination.equals(r.getString("destination_id"))) {
                    RecordJson.writeRecord(g, RecordStore.map(r));
                    hasRecord = r.next();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
