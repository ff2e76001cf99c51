package dev.tally.processing;

import dev.tally.config.AlertProperties;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.BatchWriter;
import dev.tally.store.RecordStore;
import dev.tally.store.SequencerStore;
import dev.tally.store.SummaryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The unit of work of SPEC §3 for a whole batch of records, in ONE transaction: lock → read →
 * plan → write. All or nothing. The decisions (dedup, summaries, seqs, alerts) are
 * {@link WritePlan}'s, a pure function; this class only does the I/O around it, and
 * {@link BatchWriter} writes the plan in the database's own form.
 *
 * <p>The hourly, daily and weekly totals are not written here: {@code rollup.RollupFolder} adds the
 * committed records to them afterwards, off this serial path (they were half of its database work).
 *
 * <p>Correctness across instances rests on one lock: the transaction starts by locking the
 * {@code sequencer} row, so write transactions (of every instance) run one after another. Under
 * that lock the dedup look-up and the summary rows are read fresh (READ COMMITTED takes a new
 * snapshot per statement, after the lock was granted), no other writer can accept the same
 * recordId or fold into the same summary, and seqs are handed out in commit order. Batching is
 * what makes the serial order cheap: one lock, a handful of batched statements and one commit
 * per thousands of records.
 */
@Component
public class UnitOfWork {

    private final TransactionTemplate tx;
    private final SequencerStore sequencer;
    private final RecordStore records;
    private final SummaryStore summaries;
    private final BatchWriter writer;
    private final AlertProperties alerts;
    private final Clock clock;

    public UnitOfWork(
            TransactionTemplate tx,
            SequencerStore sequencer,
            RecordStore records,
            SummaryStore summaries,
            BatchWriter writer,
            AlertProperties alerts,
            Clock clock) {
        this.tx = tx;
        this.sequencer = sequencer;
        this.records = records;
        this.summaries = summaries;
        this.writer = writer;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * Processes {@code batch} in order, as if its records had arrived one after another, and
     * returns one outcome per record, aligned with the input.
     */
    public List<Outcome> process(List<TallyRecord> batch, List<@Nullable String> traces) {
        return tx.execute(status -> processLocked(batch, traces));
    }

    private List<Outcome> processLocked(List<TallyRecord> batch, List<@Nullable String> traces) {
        SequencerStore.Positions start = sequencer.lock();
        Instant processedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, TallyRecord> stored = records.findByIds(WritePlan.recordIds(batch));
        Map<SummaryStore.Key, Summary> storedSummaries = summaries.find(WritePlan.summaryKeys(batch, stored));
        WritePlan plan = WritePlan.of(batch, traces, stored, storedSummaries, start, alerts, processedAt);
        if (!plan.writes().isEmpty()) {
            writer.write(plan.writes());
        }
        return plan.outcomes();
    }
}
