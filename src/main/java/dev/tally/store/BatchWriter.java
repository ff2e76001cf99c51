package dev.tally.store;

/**
 * Writes the {@link Writes} of one unit of work to {@code records}, {@code summaries},
 * {@code outbox} and {@code sequencer}, inside the caller's transaction and under its sequencer
 * lock. A failure of any part fails the call, and the transaction rolls all of it back.
 *
 * <p>The two databases write the same rows with different statements, so each has its own form,
 * made once by the {@link Dialect} ({@link Dialect#batchWriter}): {@link PostgresBatchWriter}, one statement of
 * data-modifying CTEs (one round trip: a measured choice, docs/performance.md), and
 * {@link H2BatchWriter}, one JDBC batch per table.
 */
public sealed interface BatchWriter permits PostgresBatchWriter, H2BatchWriter {

    /** Writes all of {@code writes}; must run in the write transaction that locked the sequencer. */
    void write(Writes writes);
}
