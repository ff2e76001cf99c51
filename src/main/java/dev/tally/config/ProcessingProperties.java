package dev.tally.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The write path's limits (prefix {@code tally.processing}).
 *
 * @param maxTransactionRecords records merged into one transaction (group commit)
 * @param queueCapacityRecords  records waiting for the writer, across all requests; beyond this
 *                              producers wait up to {@code enqueueTimeout}, then get 503
 * @param enqueueTimeout        how long a producer waits for room in the queue
 * @param commitTimeout         how long an HTTP request waits for its records' commit before 503
 * @param retryAfter            the {@code Retry-After} sent with 503 answers
 */
@Validated
@ConfigurationProperties("tally.processing")
public record ProcessingProperties(
        @Min(1) @Max(100_000) @DefaultValue("10000") int maxTransactionRecords,
        @Min(1) @DefaultValue("100000") int queueCapacityRecords,
        @NotNull @DefaultValue("2s") Duration enqueueTimeout,
        @NotNull @DefaultValue("30s") Duration commitTimeout,
        @NotNull @DefaultValue("1s") Duration retryAfter) {

    @AssertTrue(message = "tally.processing.queue-capacity-records must be at least max-transaction-records")
    public boolean isQueueLargeEnough() {
        return queueCapacityRecords >= maxTransactionRecords;
    }
}
