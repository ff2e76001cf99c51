package dev.tally.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record as it was read off the wire, before validation: each known field's JSON kind and exact
 * text (numbers keep their textual form, so no binary float is ever involved). Unknown fields are
 * not kept. Structural problems found while reading (a repeated field, say) travel along as
 * errors so that the validator reports them together with the field rules.
 */
public final class RawRecord {

    /** The JSON kind of a field's value. */
    public enum Kind {
        STRING,
        NUMBER,
        NULL,
        OTHER
    }

    /** One field's value: its JSON kind and its exact text (for STRING and NUMBER). */
    public record Value(Kind kind, String text) {}

    private final Map<String, Value> fields = new LinkedHashMap<>();
    private final List<FieldError> readErrors;

    public RawRecord(List<FieldError> readErrors) {
        this.readErrors = readErrors;
    }

    public RawRecord() {
        this(new java.util.ArrayList<>(0));
    }

    /** Sets a field; a field given twice in one object is an error (never "last one wins" for money). */
    public void put(String field, Value value) {
        if (fields.putIfAbsent(field, value) != null) {
            readErrors.add(new FieldError(field, "must appear only once in a record"));
        }
    }

    public Value get(String field) {
        return fields.get(field);
    }

    public List<FieldError> readErrors() {
        return Collections.unmodifiableList(readErrors);
    }

    /** The recordId if it was given as a string, for reporting results of invalid items. */
    public String recordIdOrNull() {
        Value v = fields.get("recordId");
        return v != null && v.kind() == Kind.STRING ? v.text() : null;
    }

    /** Field names this reader keeps; every other field is ignored (SPEC §2: unknown fields are ignored). */
    public static boolean isKnownField(String name) {
        return switch (name) {
            case "recordId", "time", "sourceId", "destinationId", "type", "value", "unit", "reference" -> true;
            default -> false;
        };
    }
}
