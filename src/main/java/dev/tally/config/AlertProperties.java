package dev.tally.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Alert thresholds (SPEC §3.5). A record alerts when its value is strictly above the threshold of
 * its unit: {@code tally.alerts.thresholds.<UNIT>}, else {@code tally.alerts.default-threshold}.
 * Unit names are case-sensitive ({@code EUR} and {@code eur} differ); see the README for how to
 * write a mixed-case key in an environment variable.
 *
 * @param defaultThreshold alert when a record's value is strictly above this, for units without their own
 * @param thresholds       per-unit thresholds, by case-sensitive unit name (write keys as {@code [EUR]})
 */
@Validated
@ConfigurationProperties("tally.alerts")
public record AlertProperties(
        @NotNull @PositiveOrZero @DefaultValue("10000") BigDecimal defaultThreshold,
        Map<String, @NotNull @PositiveOrZero BigDecimal> thresholds) {

    public AlertProperties {
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
    }

    public BigDecimal thresholdFor(String unit) {
        return thresholds.getOrDefault(unit, defaultThreshold);
    }
}
