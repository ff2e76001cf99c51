package dev.tally.web;

import java.util.Objects;

/**
 * One rule a request broke, as a problem's {@code errors} array names it. The edge's own value,
 * beside the domain's {@code record.FieldError}, so that {@code web} imports nothing of ours.
 *
 * @param field   the parameter or JSON field name (or {@code "$"} for the whole item)
 * @param message the rule that was broken, in words a client developer can act on
 */
public record InvalidField(String field, String message) {
    public InvalidField {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
