package dev.tally.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outbox retention (prefix {@code tally.outbox}).
 *
 * @param retention     how long an alert stays in the outbox (and so in its feed) after it was
 *                      written; when Kafka is on, an unpublished alert is kept however old it is.
 *                      {@code 0} keeps everything forever. Notifications are their records and
 *                      are not pruned
 * @param pruneInterval pause between pruning rounds
 * @param pruneBatch    rows deleted per statement: short transactions, no long locks
 */
@Validated
@ConfigurationProperties("tally.outbox")
public record OutboxProperties(
        @NotNull @DefaultValue("7d") Duration retention,
        @NotNull @DefaultValue("1m") Duration pruneInterval,
        @Min(1) @Max(100_000) @DefaultValue("1000") int pruneBatch) {

    public boolean pruning() {
        return !retention.isZero() && !retention.isNegative();
    }
}
