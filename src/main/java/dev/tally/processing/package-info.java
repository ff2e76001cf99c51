/**
 * The unit of work (dedup → store → summary → outbox) in one transaction per batch, and the
 * group committer that merges concurrent producers into those batches, and the one classification
 * of its failures into retryable and fatal ({@link dev.tally.processing.Failures}) that every input
 * acts on.
 */
package dev.tally.processing;
