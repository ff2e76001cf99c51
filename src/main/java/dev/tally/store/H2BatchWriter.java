package dev.tally.store;

/**
 * The H2 form of {@link BatchWriter}: one JDBC batch per table, in the order records, summaries,
 * outbox, sequencer. H2 runs in the JVM, so a statement costs no round trip and one statement per
 * table is as cheap as one in all (H2 has no data-modifying CTEs anyway).
 */
final class H2BatchWriter implements BatchWriter {

    private final RecordStore records;
    private final SummaryStore summaries;
    private final OutboxTable outbox;
    private final SequencerStore sequencer;

    H2BatchWriter(RecordStore records, SummaryStore summaries, OutboxTable outbox, SequencerStore sequencer) {
        this.records = records;
        this.summaries = summaries;
        this.outbox = outbox;
        this.sequencer = sequencer;
    }

    @Override
    public void write(Writes writes) {
        records.insert(writes.records(), writes.processedAt());
        summaries.save(writes.summaries());
        outbox.insert(writes.outbox(), writes.processedAt());
        sequencer.advance(writes.end());
    }
}
