/**
 * Wiring only: configuration-properties records (validated once at start-up, then immutable) and
 * the beans that pick the database dialect.
 */
@NullMarked
package dev.tally.config;

import org.jspecify.annotations.NullMarked;
