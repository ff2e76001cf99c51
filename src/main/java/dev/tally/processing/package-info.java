/**
 * The unit of work (dedup → store → summary → outbox) in one transaction per batch, and the
 * group committer that merges concurrent producers into those batches, and the one classification
 * of its failures into retryable and fatal ({@link dev.tally.processing.Failures}) that every input
 * acts on, with what such a failure means for an HTTP client
 * ({@link dev.tally.processing.FailureAdvice}).
 */
@NullMarked
package dev.tally.processing;

import org.jspecify.annotations.NullMarked;
