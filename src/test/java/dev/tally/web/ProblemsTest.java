package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.processing.Overloaded;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures a client is told to retry (503) and which are bugs (500). */
class ProblemsTest {

    @Test
    void connectionLossAndOverloadAreRetryable() {
        assertThat(Problems.isRetryable(new Overloaded("full", Duration.ofSeconds(1)))).isTrue();
        assertThat(Problems.isRetryable(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(Problems.isRetryable(new QueryTimeoutException("slow"))).isTrue();
        assertThat(Problems.isRetryable(new UncategorizedSQLException("x", "SELECT 1",
                new SQLException("I/O error", "08006")))).isTrue();
        assertThat(Problems.isRetryable(new SQLException("terminating connection", "57P01"))).isTrue();
    }

    @Test
    void aFailedRollbackAfterAConnectionLossIsRetryable() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed", "08003"));
        assertThat(Problems.isRetryable(rollbackFailed)).isTrue();

        TransactionSystemException withCause = new TransactionSystemException("rollback failed");
        withCause.initApplicationException(new UncategorizedSQLException("x", "SELECT 1",
                new SQLException("An I/O error occurred", "08006")));
        assertThat(Problems.isRetryable(withCause)).isTrue();
    }

    @Test
    void constraintViolationsAndUnknownErrorsAreNot() {
        assertThat(Problems.isRetryable(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(Problems.isRetryable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Problems.isRetryable(new IllegalStateException("bug"))).isFalse();
        assertThat(Problems.failure(new IllegalStateException("bug"), Duration.ofSeconds(1)).getStatusCode().value())
                .isEqualTo(500);
        assertThat(Problems.failure(new Overloaded("full", Duration.ofSeconds(2)), Duration.ofSeconds(2))
                .getHeaders().getFirst("Retry-After")).isEqualTo("2");
    }
}
