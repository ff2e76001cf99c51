/**
 * JDBC access to the tables the write path owns ({@code records}, {@code summaries},
 * {@code sequencer}, {@code outbox}, the totals rollups of {@link dev.tally.store.Rollup}), with
 * the SQL as named constants beside the code that runs it. The write transaction's rows
 * ({@link dev.tally.store.Writes}) are written by one {@link dev.tally.store.BatchWriter} whose
 * PostgreSQL and H2 forms are two classes side by side, chosen once by the dialect; the other
 * differences between the databases are gathered in {@link dev.tally.store.Dialect}.
 */
@NullMarked
package dev.tally.store;

import org.jspecify.annotations.NullMarked;
