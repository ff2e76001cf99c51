/**
 * The totals rollups (hour, day, week) as a feature: {@link dev.tally.rollup.RollupFolder} adds
 * committed records to them after their write transaction, behind a watermark, configured by
 * {@link dev.tally.rollup.RollupProperties} ({@code tally.rollups.*}). See docs/architecture.md,
 * "Totals rollups folded after commit".
 *
 * <p>What stays elsewhere, and why: the rollups' SQL is in {@code store} ({@code store.RollupStore}
 * for the fold, the levels and their bucket spans in {@code store.Rollup}), because SQL lives in
 * {@code store} only (ArchitectureTest) and the dialects render each level's bucket and upsert;
 * {@code store.AggregationFilter} and {@code store.AggregationReader} read the rollups for
 * {@code GET /v1/aggregations} in the same snapshot as the records and the watermark, so the
 * reading side is the aggregation's, not this package's. Nothing here is imported by the write
 * path: the unit of work never touches the rollups.
 */
@NullMarked
package dev.tally.rollup;

import org.jspecify.annotations.NullMarked;
