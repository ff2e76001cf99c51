/**
 * The domain: a record, its validation (SPEC §2) and the per-{@code (destinationId, reference)}
 * summary. Pure Java with no framework or I/O, so every rule can be tested without a database.
 */
@NullMarked
package dev.tally.record;

import org.jspecify.annotations.NullMarked;
