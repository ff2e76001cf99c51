package dev.tally.processing;

import dev.tally.outbox.OutboxRow;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.RecordStore;
import dev.tally.store.Rollup;
import dev.tally.store.RollupStore;
import dev.tally.store.SequencerStore;
import dev.tally.store.SummaryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL only (see {@link dev.tally.store.Dialect#singleStatementWrite()}): every write of a
 * unit of work, as ONE statement of data-modifying CTEs whose rows arrive as parallel arrays. The
 * profile showed the write transaction waiting on round trips, one per statement (and per COPY
 * start and end), far more than on the server's work; this makes the writes one round trip, so a
 * transaction is: lock, two look-ups, this, commit.
 *
 * <p>Same effect as {@link RecordStore#insert}, {@link SummaryStore#save}, {@code OutboxStore.insert},
 * {@link RollupStore#add} and {@link SequencerStore#advance} in sequence: the sub-statements
 * touch disjoint rows (the summary UPDATE and INSERT get disjoint key sets; the rollup buckets are
 * summed per key and level in Java first, as ON CONFLICT requires), and a failure of any rolls back all.
 */
@Component
class SingleStatementWrite {

    private static final String WRITE_TEMPLATE = """
            WITH new_records AS (
                INSERT INTO records (record_id, seq, record_time, source_id, destination_id, record_type,
                                     amount, amount_scale, unit, reference, processed_at)
                SELECT r.record_id, r.seq, r.record_time, r.source_id, r.destination_id, r.record_type,
                       r.amount, r.amount_scale, r.unit, r.reference, ?::timestamptz
                FROM unnest(?::text[], ?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],
                            ?::numeric[], ?::smallint[], ?::text[], ?::text[])
                     AS r(record_id, seq, record_time, source_id, destination_id, record_type,
                          amount, amount_scale, unit, reference)
            ), changed_summaries AS (
                UPDATE summaries s
                SET record_count = v.record_count, first_time = v.first_time, last_time = v.last_time,
                    totals = v.totals
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::text[])
                     AS v(destination_id, reference, record_count, first_time, last_time, totals)
                WHERE s.destination_id = v.destination_id AND s.reference = v.reference
            ), new_summaries AS (
                INSERT INTO summaries (destination_id, reference, record_count, first_time, last_time, totals)
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::text[])
            ), messages AS (
                INSERT INTO outbox (feed, seq, message_id, destination_id, payload, summary_previous, created_at)
                SELECT m.feed, m.seq, m.message_id, m.destination_id, m.payload, m.summary_previous, ?::timestamptz
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS m(feed, seq, message_id, destination_id, payload, summary_previous)
            )%s
            UPDATE sequencer SET last_notification_seq = ?, last_alert_seq = ? WHERE id = 1""";

    /**
     * One CTE per {@link Rollup} level, after {@code messages}: {@code %1$s} the level's table,
     * {@code %2$s} its start column. The rows were summed per key in Java (ON CONFLICT cannot touch
     * a row twice in one statement).
     */
    private static final String ROLLUP = """
            , %1$s_rollup AS (
                INSERT INTO %1$s (destination_id, unit, record_type, %2$s, record_count, amount_sum, max_scale)
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[], ?::numeric[],
                                     ?::smallint[])
                ON CONFLICT (destination_id, unit, record_type, %2$s) DO UPDATE
                SET record_count = %1$s.record_count + EXCLUDED.record_count,
                    amount_sum = %1$s.amount_sum + EXCLUDED.amount_sum,
                    max_scale = GREATEST(%1$s.max_scale, EXCLUDED.max_scale)
            )""";

    private static final String WRITE = WRITE_TEMPLATE.formatted(Arrays.stream(Rollup.values())
            .map(level -> ROLLUP.formatted(level.table(), level.startColumn()))
            .collect(Collectors.joining()));

    private final JdbcTemplate jdbc;

    SingleStatementWrite(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(List<RecordStore.NewRow> rows, Instant processedAt, Map<SummaryStore.Key, Summary> summaries,
            Collection<SummaryStore.Key> existingKeys, List<OutboxRow> messages,
            Map<Rollup, Map<RollupStore.Bucket, RollupStore.Delta>> rollups, SequencerStore.Positions end) {
        SummaryStore.Changes changes = SummaryStore.Changes.of(summaries, existingKeys);
        jdbc.update(WRITE, ps -> {
            Params p = new Params(ps);
            p.instant(processedAt);
            bindRecords(p, rows);
            bindSummaries(p, changes.updates());
            bindSummaries(p, changes.inserts());
            p.instant(processedAt);
            bindMessages(p, messages);
            for (Rollup level : Rollup.values()) {
                bindRollup(p, rollups.get(level));
            }
            ps.setLong(p.next++, end.lastNotificationSeq());
            ps.setLong(p.next++, end.lastAlertSeq());
        });
    }

    private static void bindRecords(Params p, List<RecordStore.NewRow> rows) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        Long[] seqs = new Long[n];
        String[] times = new String[n];
        String[] sources = new String[n];
        String[] destinations = new String[n];
        String[] types = new String[n];
        String[] amounts = new String[n];
        Short[] scales = new Short[n];
        String[] units = new String[n];
        String[] references = new String[n];
        for (int i = 0; i < n; i++) {
            TallyRecord r = rows.get(i).record();
            ids[i] = r.recordId();
            seqs[i] = rows.get(i).seq();
            times[i] = r.time().toString();
            sources[i] = r.sourceId();
            destinations[i] = r.destinationId();
            types[i] = r.type().wire();
            amounts[i] = r.value().toPlainString();
            scales[i] = (short) r.value().scale();
            units[i] = r.unit();
            references[i] = r.reference();
        }
        p.texts(ids).array("int8", seqs).texts(times).texts(sources).texts(destinations).texts(types).texts(amounts)
                .array("int2", scales).texts(units).texts(references);
    }

    private static void bindSummaries(Params p, List<Map.Entry<SummaryStore.Key, Summary>> entries) throws SQLException {
        int n = entries.size();
        String[] destinations = new String[n];
        String[] references = new String[n];
        Long[] counts = new Long[n];
        String[] firstTimes = new String[n];
        String[] lastTimes = new String[n];
        String[] totals = new String[n];
        for (int i = 0; i < n; i++) {
            Map.Entry<SummaryStore.Key, Summary> e = entries.get(i);
            Summary s = e.getValue();
            destinations[i] = e.getKey().destinationId();
            references[i] = e.getKey().reference();
            counts[i] = s.recordCount();
            firstTimes[i] = s.firstTime().toString();
            lastTimes[i] = s.lastTime().toString();
            totals[i] = SummaryStore.encodeTotals(s.totals());
        }
        p.texts(destinations).texts(references).array("int8", counts).texts(firstTimes).texts(lastTimes).texts(totals);
    }

    private static void bindMessages(Params p, List<OutboxRow> messages) throws SQLException {
        int n = messages.size();
        String[] feeds = new String[n];
        Long[] seqs = new Long[n];
        String[] ids = new String[n];
        String[] destinations = new String[n];
        String[] payloads = new String[n];
        String[] summaries = new String[n];
        for (int i = 0; i < n; i++) {
            OutboxRow m = messages.get(i);
            feeds[i] = m.feed().column();
            seqs[i] = m.seq();
            ids[i] = m.messageId();
            destinations[i] = m.destinationId();
            payloads[i] = m.payload();
            summaries[i] = m.summaryPrevious();
        }
        p.texts(feeds).array("int8", seqs).texts(ids).texts(destinations).texts(payloads).texts(summaries);
    }

    private static void bindRollup(Params p, Map<RollupStore.Bucket, RollupStore.Delta> deltas) throws SQLException {
        int n = deltas.size();
        String[] destinations = new String[n];
        String[] units = new String[n];
        String[] types = new String[n];
        String[] starts = new String[n];
        Long[] counts = new Long[n];
        String[] sums = new String[n];
        Short[] scales = new Short[n];
        int i = 0;
        for (Map.Entry<RollupStore.Bucket, RollupStore.Delta> e : deltas.entrySet()) {
            RollupStore.Bucket b = e.getKey();
            RollupStore.Delta d = e.getValue();
            destinations[i] = b.destinationId();
            units[i] = b.unit();
            types[i] = b.type().wire();
            starts[i] = b.start().toString();
            counts[i] = d.count();
            sums[i] = d.sum().toPlainString();
            scales[i++] = (short) d.maxScale();
        }
        p.texts(destinations).texts(units).texts(types).texts(starts).array("int8", counts).texts(sums)
                .array("int2", scales);
    }

    /** Binds parameters in order; arrays travel as text or int arrays and are cast in the SQL. */
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

        void instant(Instant value) throws SQLException {
            ps.setString(next++, value.toString());
        }
    }
}
