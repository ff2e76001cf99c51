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
 * @param retention     how long a message stays in the outbox (and so in the feeds) after it was
 *                      written; when Kafka is on, an unpublished message is kept however old it is.
 *                      {@code 0} keeps everything forever
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
