package dev.tally.store;

import dev.tally.record.Summary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL form of {@link BatchWriter}: the records by binary COPY ({@link CopyRecords}),
 * then every other write of the unit of work as ONE statement of data-modifying CTEs whose rows
 * arrive as parallel arrays. The write transaction waited on round trips more than on the
 * server's work (docs/performance.md, item 2), so it has two: a transaction is lock, two
 * look-ups, the COPY, this, commit.
 *
 * <p>Same effect as {@link H2BatchWriter}'s {@link RecordStore#insert}, {@link SummaryStore#save},
 * {@code OutboxTable.insert} and {@link SequencerStore#advance} in sequence: the sub-statements
 * touch disjoint rows (the summary UPDATE and INSERT get disjoint key sets), and a failure of any
 * rolls back all.
 */
final class PostgresBatchWriter implements BatchWriter {

    /**
     * Times travel as {@code bigint[]} of microseconds since 1970-01-01Z (binary: formatting them as
     * text in Java and parsing it in PostgreSQL cost several times more; docs/performance.md, item 6)
     * and become {@code timestamptz} here, exactly: whole seconds through
     * {@code to_timestamp} (a float8 that holds every second of years 0001–9999 exactly) plus the
     * microseconds as an interval without days, so the session time zone plays no part.
     * {@code %1$s} the column; the {@code %%} is the modulo.
     */
    private static final String MICROS =
            "(to_timestamp(%1$s / 1000000) + (%1$s %% 1000000) * interval '1 microsecond')";

    /**
     * Everything but the records, as one statement: the summaries' UPDATE and INSERT, the alerts,
     * and the sequencer's new positions.
     */
    private static final String WRITE_TEMPLATE = """
            WITH changed_summaries AS (
                UPDATE summaries s
                SET record_count = v.record_count, first_time = %1$s, last_time = %2$s, totals = v.totals
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
                     AS v(destination_id, reference, record_count, first_time, last_time, totals)
                WHERE s.destination_id = v.destination_id AND s.reference = v.reference
            ), new_summaries AS (
                INSERT INTO summaries (destination_id, reference, record_count, first_time, last_time, totals)
                SELECT v.destination_id, v.reference, v.record_count, %1$s, %2$s, v.totals
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
                     AS v(destination_id, reference, record_count, first_time, last_time, totals)
            ), alerts AS (
                INSERT INTO outbox (feed, seq, message_id, destination_id, payload, created_at, traceparent)
                SELECT m.feed, m.seq, m.message_id, m.destination_id, m.payload, ?::timestamptz, m.traceparent
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS m(feed, seq, message_id, destination_id, payload, traceparent)
            )
            UPDATE sequencer SET last_notification_seq = ?, last_alert_seq = ? WHERE id = 1""";

    private static final String WRITE =
            WRITE_TEMPLATE.formatted(MICROS.formatted("v.first_time"), MICROS.formatted("v.last_time"));

    private final JdbcTemplate jdbc;

    PostgresBatchWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void write(Writes writes) {
        Instant processedAt = writes.processedAt();
        SummaryStore.Changes changes = writes.summaries();
        jdbc.execute((ConnectionCallback<Void>) c -> {
            CopyRecords.copy(c, writes.records(), processedAt);
            return null;
        });
        jdbc.update(WRITE, ps -> {
            Params p = new Params(ps);
            bindSummaries(p, changes.updates());
            bindSummaries(p, changes.inserts());
            p.instant(processedAt);
            bindMessages(p, writes.outbox());
            ps.setLong(p.next++, writes.end().lastNotificationSeq());
            ps.setLong(p.next++, writes.end().lastAlertSeq());
        });
    }

    private static void bindSummaries(Params p, List<Map.Entry<SummaryStore.Key, Summary>> entries)
            throws SQLException {
        int n = entries.size();
        String[] destinations = new String[n];
        String[] references = new String[n];
        long[] counts = new long[n];
        long[] firstTimes = new long[n];
        long[] lastTimes = new long[n];
        String[] totals = new String[n];
        for (int i = 0; i < n; i++) {
            Map.Entry<SummaryStore.Key, Summary> e = entries.get(i);
            Summary s = e.getValue();
            destinations[i] = e.getKey().destinationId();
            references[i] = e.getKey().reference();
            counts[i] = s.recordCount();
            firstTimes[i] = epochMicros(s.firstTime());
            lastTimes[i] = epochMicros(s.lastTime());
            totals[i] = SummaryStore.encodeTotals(s.totals());
        }
        p.texts(destinations)
                .texts(references)
                .longs(counts)
                .longs(firstTimes)
                .longs(lastTimes)
                .texts(totals);
    }

    private static void bindMessages(Params p, List<OutboxRow> messages) throws SQLException {
        int n = messages.size();
        String[] feeds = new String[n];
        long[] seqs = new long[n];
        String[] ids = new String[n];
        String[] destinations = new String[n];
        String[] payloads = new String[n];
        String[] traces = new String[n];
        for (int i = 0; i < n; i++) {
            OutboxRow m = messages.get(i);
            traces[i] = m.traceparent();
            feeds[i] = m.feed();
            seqs[i] = m.seq();
            ids[i] = m.messageId();
            destinations[i] = m.destinationId();
            payloads[i] = m.payload();
        }
        p.texts(feeds)
                .longs(seqs)
                .texts(ids)
                .texts(destinations)
                .texts(payloads)
                .texts(traces);
    }

    /**
     * Microseconds since 1970-01-01Z. Stored times have at most microsecond precision (the record
     * rule, checked at the edge), so nothing is lost: a finer time
     * here is a programmer error.
     */
    static long epochMicros(Instant t) {
        if (t.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("a stored time has at most microsecond precision: " + t);
        }
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /**
     * Binds parameters in order. Arrays travel in the driver's binary array format (text arrays
     * through {@code createArrayOf}, {@code long[]} through {@code setObject},
     * without boxing) and are cast in the SQL.
     */
    private static final class Params {
        private final PreparedStatement ps;
        private final Connection c;
        int next = 1;

        Params(PreparedStatement ps) throws SQLException {
            this.ps = ps;
            this.c = ps.getConnection();
        }

        Params texts(String[] values) throws SQLException {
            return array("text", values);
        }

        Params array(String type, Object[] values) throws SQLException {
            ps.setArray(next++, c.createArrayOf(type, values));
            return this;
        }

        Params longs(long[] values) throws SQLException {
            ps.setObject(next++, values);
            return this;
        }

        void instant(Instant value) throws SQLException {
            ps.setString(next++, value.toString());
        }
    }
}
