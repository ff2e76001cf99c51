package dev.tally.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every row one write transaction writes, decided before the first of them is written (see
 * {@code processing.WritePlan}): the accepted records with their seqs and notifications, the new
 * state of every summary they fold into, their alerts' outbox rows, and the sequencer's end positions. A
 * {@link BatchWriter} writes it whole.
 *
 * @param processedAt the records' {@code processed_at} and the outbox rows' {@code created_at}
 * @param end         the sequencer's positions after this write: the last seq of each feed
 */
public record Writes(
        Instant processedAt,
        List<RecordStore.NewRow> records,
        SummaryStore.Changes summaries,
        List<OutboxRow> outbox,
        SequencerStore.Positions end) {

    public Writes {
        Objects.requireNonNull(processedAt, "processedAt");
        Objects.requireNonNull(summaries, "summaries");
        Objects.requireNonNull(end, "end");
        records = List.copyOf(records);
        outbox = List.copyOf(outbox);
    }

    /** True when the unit of work accepted no record, so there is nothing to write. */
    public boolean isEmpty() {
        return records.isEmpty();
    }
}
