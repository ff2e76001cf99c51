package dev.tally.rollup;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The totals rollups' folder (prefix {@code tally.rollups}; {@link RollupFolder}).
 *
 * @param folding      whether this instance folds committed records into the rollups. Totals are
 *                     exact either way (the query adds the records not yet folded); without any
 *                     folding instance they only get slower as unfolded records pile up
 * @param foldInterval pause after a round that found fewer than {@code foldRecords} to fold; also the
 *                     longest a committed record waits to be folded when the folder keeps up
 * @param foldRecords  records folded per transaction, at most: bounds a fold transaction's length
 *                     and a large backlog is worked off in several
 */
@Validated
@ConfigurationProperties("tally.rollups")
public record RollupProperties(
        @DefaultValue("true") boolean folding,
        @NotNull @DefaultValue("250ms") Duration foldInterval,
        @Min(1) @Max(1_000_000) @DefaultValue("50000") int foldRecords) {

    @AssertTrue(message = "tally.rollups.fold-interval must be positive")
    public boolean isFoldIntervalPositive() {
        return !foldInterval.isZero() && !foldInterval.isNegative();
    }
}
