package dev.tally.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What a client is told for a failure: 503 with {@code Retry-After} when it may retry, 500 for a
 * bug. Which failures are which is {@code processing.FailuresTest}'s subject; this is the mapping.
 */
class FailureAdviceTest {

    @Test
    void retryableFailuresAre503WithRetryAfter() {
        assertThat(FailureAdvice.answer(new Overloaded("full", Duration.ofSeconds(2)), Duration.ofSeconds(2))
                        .getHeaders()
                        .getFirst("Retry-After"))
                .isEqualTo("2");
        var lost = FailureAdvice.answer(
                new UncategorizedSQLException("x", "SELECT 1", new SQLException("I/O error", "08006")),
                Duration.ofMillis(1500));
        assertThat(lost.getStatusCode().value()).isEqualTo(503);
        assertThat(lost.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(FailureAdvice.answer(new CannotCreateTransactionException("no connection"), Duration.ofSeconds(1))
                        .getStatusCode()
                        .value())
                .isEqualTo(503);
    }

    @Test
    void fatalFailuresAre500WithoutRetryAfter() {
        var bug = FailureAdvice.answer(new IllegalStateException("bug"), Duration.ofSeconds(1));
        assertThat(bug.getStatusCode().value()).isEqualTo(500);
        assertThat(bug.getHeaders().getFirst("Retry-After")).isNull();
        assertThat(FailureAdvice.answer(new DataIntegrityViolationException("duplicate key"), Duration.ofSeconds(1))
                        .getStatusCode()
                        .value())
                .isEqualTo(500);
        assertThat(FailureAdvice.answer(new SQLException("syntax error", "42601"), Duration.ofSeconds(1))
                        .getStatusCode()
                        .value())
                .isEqualTo(500);
    }
}
