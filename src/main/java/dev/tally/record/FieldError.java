package dev.tally.record;

import java.util.Objects;

/**
 * One broken rule of one field: what an invalid input is rejected with.
 *
 * @param field   the JSON field name (or {@code "$"} for the whole item)
 * @param message the rule that was broken, in words a client developer can act on
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
