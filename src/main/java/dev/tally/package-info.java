/**
 * Tally: exactly-once ingest, aggregation and notification of financial records; the application
 * class only, the features are in the subpackages (docs/architecture.md).
 */
@NullMarked
package dev.tally;

import org.jspecify.annotations.NullMarked;
