package dev.tally.processing;

import dev.tally.config.AlertProperties;
import dev.tally.outbox.Messages;
import dev.tally.outbox.OutboxRow;
import dev.tally.outbox.OutboxStore;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.Dialect;
import dev.tally.store.RecordStore;
import dev.tally.store.SequencerStore;
import dev.tally.store.SummaryStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The unit of work of SPEC §3 for a whole batch of records, in ONE transaction: dedup → store →
 * summary → notification → alert. All or nothing.
 *
 * <p>The hourly, daily and weekly totals are not written here: {@link RollupFolder} adds the
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
    private final OutboxStore outbox;
    private final AlertProperties alerts;
    private final Clock clock;
    private final Dialect dialect;
    private final SingleStatementWrite singleStatementWrite;

    public UnitOfWork(TransactionTemplate tx, SequencerStore sequencer, RecordStore records, SummaryStore summaries,
            OutboxStore outbox, AlertProperties alerts, Clock clock, Dialect dialect,
            SingleStatementWrite singleStatementWrite) {
        this.tx = tx;
        this.sequencer = sequencer;
        this.records = records;
        this.summaries = summaries;
        this.outbox = outbox;
        this.alerts = alerts;
        this.clock = clock;
        this.dialect = dialect;
        this.singleStatementWrite = singleStatementWrite;
    }

    /**
     * Processes {@code batch} in order, as if its records had arrived one after another, and
     * returns one outcome per record, aligned with the input.
     */
    public List<Outcome> process(List<TallyRecord> batch) {
        return tx.execute(status -> processLocked(batch));
    }

    private List<Outcome> processLocked(List<TallyRecord> batch) {
        SequencerStore.Positions start = sequencer.lock();
        Instant processedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);

        Set<String> ids = new LinkedHashSet<>();
        for (TallyRecord r : batch) {
            ids.add(r.recordId());
        }
        Map<String, TallyRecord> known = records.findByIds(ids);
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        List<TallyRecord> accepted = new ArrayList<>(batch.size());
        for (TallyRecord r : batch) {
            TallyRecord stored = known.putIfAbsent(r.recordId(), r);
            if (stored == null) {
                accepted.add(r);
                outcomes.add(Outcome.ACCEPTED);
            } else {
                List<String> differing = r.differingFields(stored);
                outcomes.add(differing.isEmpty() ? Outcome.DUPLICATE : Outcome.conflict(differing));
            }
        }
        if (accepted.isEmpty()) {
            return outcomes;
        }

        Set<SummaryStore.Key> keys = new LinkedHashSet<>();
        for (TallyRecord r : accepted) {
            keys.add(new SummaryStore.Key(r.destinationId(), r.reference()));
        }
        Map<SummaryStore.Key, Summary> stored = summaries.find(keys);
        Set<SummaryStore.Key> existingKeys = Set.copyOf(stored.keySet());
        Map<SummaryStore.Key, Summary> state = new HashMap<>(stored);

        long notificationSeq = start.lastNotificationSeq();
        long alertSeq = start.lastAlertSeq();
        List<RecordStore.NewRow> rows = new ArrayList<>(accepted.size());
        List<OutboxRow> messages = new ArrayList<>(accepted.size() + accepted.size() / 8);
        for (TallyRecord r : accepted) {
            SummaryStore.Key key = new SummaryStore.Key(r.destinationId(), r.reference());
            Summary previous = state.getOrDefault(key, Summary.EMPTY);
            notificationSeq++;
            rows.add(new RecordStore.NewRow(r, notificationSeq));
            messages.add(Messages.notification(notificationSeq, r, previous));
            state.put(key, previous.fold(r));
            BigDecimal threshold = alerts.thresholdFor(r.unit());
            if (r.value().compareTo(threshold) > 0) {
                alertSeq++;
                messages.add(Messages.alert(alertSeq, processedAt, r, threshold));
            }
        }

        SequencerStore.Positions end = new SequencerStore.Positions(notificationSeq, alertSeq);
        if (dialect.singleStatementWrite()) {
            singleStatementWrite.write(rows, processedAt, state, existingKeys, messages, end);
        } else {
            records.insert(rows, processedAt);
            summaries.save(state, existingKeys);
            outbox.insert(messages, processedAt);
            sequencer.advance(end);
        }
        return outcomes;
    }
}
