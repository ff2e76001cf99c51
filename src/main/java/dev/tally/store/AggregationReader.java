package dev.tally.store;

import dev.tally.record.RecordType;
import dev.tally.record.TallyRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Repository;

/**
 * The read of {@code GET /v1/aggregations}: its statements, run in ONE read-only transaction whose
 * snapshot they all share (the isolation is the {@link Dialect}'s), handed to a {@link Sink} as
 * they stream. Nothing is collected here; memory does not grow with the result.
 *
 * <ul>
 *   <li>With records, on PostgreSQL: ONE statement read through {@code COPY ... TO STDOUT (FORMAT
 *       binary)} ({@link Sink#fromCopy}): the totals rows of a destination sort before its records
 *       (their time is {@code -infinity}, which no record has: the API accepts years 0001-9999
 *       only), so the plan merges the sorted totals with the records in index order, and COPY
 *       streams without a round trip per fetch while the sink writes (docs/performance.md). COPY
 *       takes no parameters: the filters are inlined as literals quoted by the driver
 *       ({@link PGConnection#escapeLiteral}).
 *   <li>Otherwise two cursors, {@link #FETCH_ROWS} at a time ({@link Sink#fromCursors}): the totals
 *       per (destination, unit, type), from the records or, for totals only, from the rollups
 *       ({@link AggregationFilter#rollupTotals}, with the watermark read in the same snapshot); and,
 *       when wanted, the records by destination, time and recordId.
 * </ul>
 */
@Repository
public class AggregationReader {

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

    /**
     * The rollups' watermark and the sequencer's position: the seqs of the records not folded yet.
     * Read as values, not sub-selects, so that PostgreSQL plans that range knowing how short it is.
     */
    private static final String FOLDED_AND_LAST_SEQ = """
            SELECT w.folded_seq, s.last_notification_seq
            FROM rollup_watermark w CROSS JOIN sequencer s
            WHERE w.id = 1 AND s.id = 1""";

    /** The groups with their records as one binary COPY; the columns are {@link CopyColumn}'s. */
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

    /** The columns of a COPY row ({@link Sink#fromCopy}), by position; a totals row has a count. */
    public static final class CopyColumn {
        public static final int DESTINATION = 0;
        public static final int TIME = 1;
        public static final int RECORD_ID = 2;
        public static final int SOURCE = 3;
        public static final int TYPE = 4;
        public static final int AMOUNT = 5;
        public static final int SCALE = 6;
        public static final int UNIT = 7;
        public static final int REFERENCE = 8;
        /** NULL on record rows. */
        public static final int COUNT = 9;

        public static final int COLUMNS = 10;

        private CopyColumn() {}
    }

    /** One totals row: the count and exact sum of one destination's records of one unit and type. */
    public record TotalsRow(String destinationId, String unit, RecordType type, long recordCount, BigDecimal sum) {}

    /** Rows in order, one at a time; {@code null} after the last. */
    @FunctionalInterface
    public interface Cursor<T> {
        @Nullable
        T next() throws SQLException;
    }

    /** Where the rows go, in one of two forms; called once, inside the snapshot. */
    public interface Sink {

        /**
         * The totals rows ordered by destination, unit and type, and (when records are wanted, else
         * {@code null}) the records ordered by destination, time and recordId, from one snapshot.
         */
        void fromCursors(Cursor<TotalsRow> totals, @Nullable Cursor<TallyRecord> records)
                throws IOException, SQLException;

        /**
         * The CopyData messages of the binary COPY (one row each, the stream's header before the
         * first row, the trailer last; {@link CopyColumn} the columns), totals rows before the
         * records of their destination.
         */
        void fromCopy(Cursor<byte[]> messages) throws IOException, SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;

    public AggregationReader(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Reads the aggregation for {@code filter} into {@code sink}, with the records when {@code includeRecords}. */
    public void read(AggregationFilter filter, boolean includeRecords, Sink sink) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            dialect.startReadSnapshot(c);
            Optional<PGConnection> copy = includeRecords ? dialect.copyConnection(c) : Optional.empty();
            if (copy.isPresent()) {
                readByCopy(c, copy.get(), filter, sink);
            } else {
                readByCursors(c, filter, includeRecords, sink);
            }
        }
    }

    private static void readByCursors(Connection c, AggregationFilter filter, boolean includeRecords, Sink sink)
            throws IOException, SQLException {
        AggregationFilter.Where where = filter.where();
        PreparedStatement totals = null;
        PreparedStatement records = null;
        try {
            if (!includeRecords && filter.totalsFromRollups()) {
                long[] seqs = foldedAndLastSeq(c);
                AggregationFilter.Where rollups = filter.rollupTotals(seqs[0], seqs[1]);
                totals = prepare(c, rollups.sql(), rollups.args());
            } else {
                totals = prepare(c, TOTALS.formatted(where.sql()), where.args());
            }
            ResultSet t = totals.executeQuery();
            ResultSet r = null;
            if (includeRecords) {
                records = prepare(c, RECORDS.formatted(RecordStore.COLUMNS, where.sql()), where.args());
                r = records.executeQuery();
            }
            sink.fromCursors(totalsRows(t), r == null ? null : records(r));
        } finally {
            JdbcUtils.closeStatement(records);
            JdbcUtils.closeStatement(totals);
            c.rollback(); // read-only: nothing to commit; ends the snapshot
        }
    }

    /** Ends the transaction, or closes the connection when the stream failed. */
    private static void readByCopy(Connection c, PGConnection pg, AggregationFilter filter, Sink sink)
            throws IOException, SQLException {
        try {
            String condition = inline(filter.where(), pg);
            CopyOut copy = pg.getCopyAPI().copyOut(COPY.formatted(condition, condition));
            sink.fromCopy(copy::readFromCopy);
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

    /** The WHERE text with each {@code ?} replaced by its argument as a quoted literal. */
    static String inline(AggregationFilter.Where where, PGConnection pg) throws SQLException {
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

    private static long[] foldedAndLastSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(FOLDED_AND_LAST_SEQ)) {
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

    /** Totals rows as {@link #TOTALS} and {@link AggregationFilter#rollupTotals} select them. */
    private static Cursor<TotalsRow> totalsRows(ResultSet t) {
        return () -> t.next()
                ? new TotalsRow(
                        t.getString(1),
                        t.getString(2),
                        "positive".equals(t.getString(3)) ? RecordType.POSITIVE : RecordType.NEGATIVE,
                        t.getLong(4),
                        Jdbc.withScale(t.getBigDecimal(5), t.getShort(6)))
                : null;
    }

    private static Cursor<TallyRecord> records(ResultSet r) {
        return () -> r.next() ? RecordStore.map(r) : null;
    }
}
