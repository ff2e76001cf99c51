package dev.tally.processing;

import dev.tally.config.AlertProperties;
import dev.tally.outbox.Messages;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.OutboxRow;
import dev.tally.store.RecordStore;
import dev.tally.store.SequencerStore;
import dev.tally.store.SummaryStore;
import dev.tally.store.Writes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The decisions of one unit of work (SPEC §3), as a pure function of what the write transaction
 * read under the sequencer lock: the batch, the stored records it names, the stored summaries of
 * the keys it folds into, the feeds' positions, and the alert thresholds. No I/O, no clock: a test
 * drives it with generated batches in milliseconds ({@code WritePlanTest}).
 *
 * <p>The batch is processed in order, as if its records had arrived one after another: a recordId
 * already stored, or seen earlier in the batch, is a duplicate (same content) or a conflict (the
 * fields that differ), and has no effect. Each accepted record gets the next notification seq,
 * a notification carrying the summary of its {@code (destinationId, reference)} before it, and,
 * when its value is strictly above its unit's threshold, the next alert seq and an alert.
 *
 * @param outcomes one per record of the batch, aligned with it
 * @param writes   what the transaction writes ({@link Writes#isEmpty() nothing} when no record was accepted)
 */
record WritePlan(List<Outcome> outcomes, Writes writes) {

    WritePlan {
        outcomes = List.copyOf(outcomes);
    }

    /** The distinct recordIds of {@code batch}: what the transaction looks up before planning. */
    static Set<String> recordIds(List<TallyRecord> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (TallyRecord r : batch) {
            ids.add(r.recordId());
        }
        return ids;
    }

    /**
     * The summary keys of the records of {@code batch} that will be accepted (the first copy of each
     * recordId not in {@code stored}): what the transaction looks up next.
     */
    static Set<SummaryStore.Key> summaryKeys(List<TallyRecord> batch, Map<String, TallyRecord> stored) {
        Set<String> seen = new HashSet<>();
        Set<SummaryStore.Key> keys = new LinkedHashSet<>();
        for (TallyRecord r : batch) {
            if (!stored.containsKey(r.recordId()) && seen.add(r.recordId())) {
                keys.add(key(r));
            }
        }
        return keys;
    }

    /**
     * Plans {@code batch}.
     *
     * @param stored      the stored records among the batch's recordIds, by id
     * @param summaries   the stored summaries among the keys the accepted records fold into; a key
     *                    without an entry has had no record yet
     * @param start       the sequencer's positions when the transaction locked it
     * @param processedAt the time the transaction stamps on its records and messages
     */
    static WritePlan of(
            List<TallyRecord> batch,
            Map<String, TallyRecord> stored,
            Map<SummaryStore.Key, Summary> summaries,
            SequencerStore.Positions start,
            AlertProperties alerts,
            Instant processedAt) {
        return of(batch, Collections.nCopies(batch.size(), null), stored, summaries, start, alerts, processedAt);
    }

    /**
     * Plans {@code batch} as above; {@code traces}, aligned with it, is the W3C traceparent each
     * record came in with (null entries for none), which its messages carry.
     */
    static WritePlan of(
            List<TallyRecord> batch,
            List<@Nullable String> traces,
            Map<String, TallyRecord> stored,
            Map<SummaryStore.Key, Summary> summaries,
            SequencerStore.Positions start,
            AlertProperties alerts,
            Instant processedAt) {
        if (traces.size() != batch.size()) {
            throw new IllegalArgumentException("one trace entry per record: " + traces.size() + " for " + batch.size());
        }
        Map<String, TallyRecord> known = new HashMap<>(stored);
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        List<TallyRecord> accepted = new ArrayList<>(batch.size());
        List<@Nullable String> acceptedTraces = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TallyRecord r = batch.get(i);
            TallyRecord before = known.putIfAbsent(r.recordId(), r);
            if (before == null) {
                accepted.add(r);
                acceptedTraces.add(traces.get(i));
                outcomes.add(Outcome.ACCEPTED);
            } else {
                List<String> differing = r.differingFields(before);
                outcomes.add(differing.isEmpty() ? Outcome.DUPLICATE : Outcome.conflict(differing));
            }
        }

        Map<SummaryStore.Key, Summary> state = new LinkedHashMap<>();
        long notificationSeq = start.lastNotificationSeq();
        long alertSeq = start.lastAlertSeq();
        List<RecordStore.NewRow> rows = new ArrayList<>(accepted.size());
        List<OutboxRow> alertRows = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            TallyRecord r = accepted.get(i);
            String trace = acceptedTraces.get(i);
            SummaryStore.Key key = key(r);
            Summary previous = state.containsKey(key) ? state.get(key) : summaries.getOrDefault(key, Summary.EMPTY);
            notificationSeq++;
            rows.add(new RecordStore.NewRow(r, notificationSeq, Messages.summaryPrevious(previous), trace));
            state.put(key, previous.fold(r));
            BigDecimal threshold = alerts.thresholdFor(r.unit());
            if (r.value().compareTo(threshold) > 0) {
                alertSeq++;
                alertRows.add(Messages.alert(alertSeq, processedAt, r, threshold, trace));
            }
        }
        SummaryStore.Changes changes = SummaryStore.Changes.of(state, summaries.keySet());
        SequencerStore.Positions end = new SequencerStore.Positions(notificationSeq, alertSeq);
        return new WritePlan(outcomes, new Writes(processedAt, rows, changes, alertRows, end));
    }

    private static SummaryStore.Key key(TallyRecord r) {
        return new SummaryStore.Key(r.destinationId(), r.reference());
    }
}
