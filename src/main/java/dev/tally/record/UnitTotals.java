package dev.tally.record;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Totals of one unit. {@code positive} and {@code negative} are sums of (non-negative) values of
 * that type; {@code net = positive - negative}. Decimal sums are exact and keep the largest scale
 * of their terms ({@code 125.50 + 20.00 = 145.50}); an empty sum is {@code 0}.
 */
public record UnitTotals(String unit, BigDecimal positive, BigDecimal negative) {

    public UnitTotals {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
    }

    public static UnitTotals zero(String unit) {
        return new UnitTotals(unit, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    public BigDecimal net() {
        return positive.subtract(negative);
    }

    public UnitTotals plus(RecordType type, BigDecimal value) {
        return type == RecordType.POSITIVE
                ? new UnitTotals(unit, positive.add(value), negative)
                : new UnitTotals(unit, positive, negative.add(value));
    }
}
