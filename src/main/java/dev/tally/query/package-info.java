/**
 * Read side: the aggregation endpoint (its parameters validated into a query) and the writer of its
 * JSON, streamed with flat memory from the rows {@code store.AggregationReader} reads.
 */
@NullMarked
package dev.tally.query;

import org.jspecify.annotations.NullMarked;
