/**
 * JDBC access to the tables the write path owns ({@code records}, {@code summaries},
 * {@code sequencer}, {@code outbox}, {@code relay_position}, the totals rollups of {@link dev.tally.store.Rollup}), with
 * the SQL as named constants beside the code that runs it. The write transaction's rows
 * ({@link dev.tally.store.Writes}) are written by one {@link dev.tally.store.BatchWriter} whose
 * PostgreSQL and H2 forms are two classes side by side, made once by the dialect; every other
 * difference between the databases is an operation of {@link dev.tally.store.Dialect}, implemented
 * once per database ({@link dev.tally.store.PostgresDialect}, {@link dev.tally.store.H2Dialect}).
 * The read of the aggregations, its SQL and its snapshot, is {@link dev.tally.store.AggregationReader}.
 */
@NullMarked
package dev.tally.store;

import org.jspecify.annotations.NullMarked;
