package dev.tally.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A valid record. Instances are only built by {@link RecordValidator} (or from the database, where
 * only valid records are stored), so a {@code TallyRecord} that exists obeys every rule of SPEC §2;
 * the compact constructor asserts the invariants that a programming error could break.
 *
 * <p>{@code value} keeps the scale it arrived with ({@code 10.50} stays {@code 10.50}); equality
 * of content is numeric (see {@link #differingFields}).
 */
public record TallyRecord(
        String recordId,
        Instant time,
        String sourceId,
        String destinationId,
        RecordType type,
        BigDecimal value,
        String unit,
        String reference) {

    public TallyRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(reference, "reference");
        if (value.signum() < 0) {
            throw new IllegalArgumentException("value must be >= 0: " + value);
        }
    }

    /** {@code +value} for positive, {@code -value} for negative records. */
    public BigDecimal signedValue() {
        return type.sign(value);
    }

    /**
     * The fields whose content differs from {@code other}, in SPEC field order: {@code time} is
     * compared as an instant and {@code value} numerically, every other field exactly.
     * Empty means "same content" (a duplicate).
     */
    public List<String> differingFields(TallyRecord other) {
        List<String> fields = new ArrayList<>(2);
        if (!recordId.equals(other.recordId)) {
            fields.add("recordId");
        }
        if (!time.equals(other.time)) {
            fields.add("time");
        }
        if (!sourceId.equals(other.sourceId)) {
            fields.add("sourceId");
        }
        if (!destinationId.equals(other.destinationId)) {
            fields.add("destinationId");
        }
        if (type != other.type) {
            fields.add("type");
        }
        if (value.compareTo(other.value) != 0) {
            fields.add("value");
        }
        if (!unit.equals(other.unit)) {
            fields.add("unit");
        }
        if (!reference.equals(other.reference)) {
            fields.add("reference");
        }
        return fields;
    }
}
