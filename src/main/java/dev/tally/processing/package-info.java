/**
 * The unit of work in one transaction per batch, as lock → read → plan → write: the decisions
 * (dedup, in-batch repeats, summaries, seqs, alerts) are the pure {@link dev.tally.processing.WritePlan},
 * unit-tested without a database; the writes are {@code store.BatchWriter}'s. Also the group
 * committer that merges concurrent producers into those batches, and the one classification of
 * its failures into retryable and fatal ({@link dev.tally.processing.Failures}) that every input
 * acts on, with what such a failure means for an HTTP client
 * ({@link dev.tally.processing.FailureAdvice}).
 */
@NullMarked
package dev.tally.processing;

import org.jspecify.annotations.NullMarked;
