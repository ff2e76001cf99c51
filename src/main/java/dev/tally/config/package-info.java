/**
 * Wiring only: configuration-properties records (validated once at start-up, then immutable), the
 * beans that pick the database dialect, and the one runner of background loops
 * ({@link dev.tally.config.BackgroundLoops}).
 */
@NullMarked
package dev.tally.config;

import org.jspecify.annotations.NullMarked;
