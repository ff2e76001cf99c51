package dev.tally.store;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the {@link Writes} of one unit of work to {@code records}, {@code summaries},
 * {@code outbox} and {@code sequencer}, inside the caller's transaction and under its sequencer
 * lock. A failure of any part fails the call, and the transaction rolls all of it back.
 *
 * <p>The two databases write the same rows with different statements, so each has its own form,
 * chosen once by the {@link Dialect} ({@link #of}): {@link PostgresBatchWriter}, one statement of
 * data-modifying CTEs (one round trip: a measured choice, docs/performance.md), and
 * {@link H2BatchWriter}, one JDBC batch per table.
 */
public sealed interface BatchWriter permits PostgresBatchWriter, H2BatchWriter {

    /** Writes all of {@code writes}; must run in the write transaction that locked the sequencer. */
    void write(Writes writes);

    static BatchWriter of(
            Dialect dialect,
            JdbcTemplate jdbc,
            RecordStore records,
            SummaryStore summaries,
            OutboxTable outbox,
            SequencerStore sequencer) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresBatchWriter(jdbc);
            case H2 -> new H2BatchWriter(records, summaries, outbox, sequencer);
        };
    }
}
