/**
 * Where records come in: the HTTP controllers (one record, JSON-array batch, NDJSON stream) and,
 * when Kafka is configured, the Kafka listener. Every source validates at the edge and feeds the
 * one bounded {@link dev.tally.processing.GroupCommitter}.
 */
@NullMarked
package dev.tally.ingest;

import org.jspecify.annotations.NullMarked;
