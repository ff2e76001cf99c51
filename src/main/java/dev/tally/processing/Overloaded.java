package dev.tally.processing;

import java.time.Duration;

/**
 * The write path cannot take more work now (queue full, or shutting down). An operating
 * condition, not a bug: the edge answers 503 with {@code Retry-After}, Kafka retries later.
 */
public class Overloaded extends RuntimeException {

    private final Duration retryAfter;

    public Overloaded(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
