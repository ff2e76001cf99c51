/**
 * JDBC access to the tables the write path owns ({@code records}, {@code summaries},
 * {@code sequencer}, the totals rollups of {@link dev.tally.store.Rollup}), with the SQL as named
 * constants beside the code that runs it, and the differences between PostgreSQL and H2 gathered
 * in {@link dev.tally.store.Dialect}.
 */
package dev.tally.store;
