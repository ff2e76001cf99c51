/**
 * The unit of work (dedup → store → summary → outbox) in one transaction per batch, and the
 * group committer that merges concurrent producers into those batches.
 */
package dev.tally.processing;
