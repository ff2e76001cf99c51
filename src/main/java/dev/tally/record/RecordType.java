package dev.tally.record;

import java.math.BigDecimal;

/** The sign of a record. Values are always non-negative; the type carries the sign. */
public enum RecordType {
    POSITIVE("positive"),
    NEGATIVE("negative");

    private final String wire;

    RecordType(String wire) {
        this.wire = wire;
    }

    /** The exact spelling used on the wire and in the database. */
    public String wire() {
        return wire;
    }

    public BigDecimal sign(BigDecimal value) {
        return this == POSITIVE ? value : value.negate();
    }

    /** Parses the exact wire spelling; anything else (including other case) is {@code null}. */
    public static RecordType fromWire(String s) {
        if ("positive".equals(s)) {
            return POSITIVE;
        }
        if ("negative".equals(s)) {
            return NEGATIVE;
        }
        return null;
    }
}
