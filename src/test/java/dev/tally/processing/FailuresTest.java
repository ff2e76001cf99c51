package dev.tally.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.processing.Failures.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are retried (HTTP 503, Kafka back-off) and which are fatal (HTTP 500, Kafka dead
 * letter). The database exceptions are the drivers' own classes, translated by Spring's translator
 * for that database, as JdbcTemplate does: what the write path really sees.
 */
class FailuresTest {

    private static final SQLErrorCodeSQLExceptionTranslator POSTGRES =
            new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");
    private static final SQLErrorCodeSQLExceptionTranslator H2 = new SQLErrorCodeSQLExceptionTranslator("H2");

    /** The driver's exception for a server error with this SQLSTATE (fields as on the wire: severity, code, message). */
    private static PSQLException server(String sqlState) {
        return new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0Mfailed with " + sqlState + "\0"));
    }

    /** A PostgreSQL error with this SQLSTATE, as JdbcTemplate would throw it. */
    private static DataAccessException postgres(String sqlState) {
        return jdbcTemplate(POSTGRES, server(sqlState));
    }

    /** What JdbcTemplate throws: the translation, or UncategorizedSQLException where there is none. */
    private static DataAccessException jdbcTemplate(SQLErrorCodeSQLExceptionTranslator translator, SQLException e) {
        DataAccessException translated = translator.translate("INSERT", "INSERT INTO records ...", e);
        return translated != null ? translated : new UncategorizedSQLException("INSERT", "INSERT INTO records ...", e);
    }

    /** An H2 error with this error code (H2's own exception subclass for it), as JdbcTemplate would throw it. */
    private static DataAccessException h2(int errorCode) {
        return jdbcTemplate(H2, DbException.get(errorCode, "x", "y").getSQLException());
    }

    @Test
    void postgresConnectionLossSerializationDeadlockResourcesShutdownAndTimeoutsAreRetryable() {
        for (String state : new String[] {
            "08000", "08001", "08003", "08006", "08P01", // connection
            "40001", "40P01", "40003", "40000", // serialization, deadlock, commit outcome unknown
            "53000", "53100", "53200", "53300", // resources
            "57P01", "57P02", "57P03", "57P04", "57014", // shutdown, crash, starting, dropped, cancelled
            "58030", // I/O error on the server
            "55P03"
        }) { // lock not available
            assertThat(Failures.classify(postgres(state))).as(state).isEqualTo(Kind.RETRYABLE);
            assertThat(Failures.classify(server(state))).as(state).isEqualTo(Kind.RETRYABLE);
        }
    }

    @Test
    void postgresIntegrityDataSyntaxTriggerAndInternalErrorsAreFatal() {
        for (String state : new String[] {
            "23505", "23514", "23502", "23503", "23000", // integrity
            "22001", "22003", "22P02", "22021", // data
            "42601", "42P01", "42703", "42501", // syntax, missing table/column, privilege
            "54000", // program limit exceeded: an index row too large
            "P0001", "XX000", "XX001", "0A000"
        }) { // raised by a trigger, internal, corrupted, unsupported
            assertThat(Failures.classify(postgres(state))).as(state).isEqualTo(Kind.FATAL);
        }
        assertThat(postgres("23514")).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(postgres("P0001")).isInstanceOf(UncategorizedSQLException.class);
        assertThat(server("23514").getSQLState()).isEqualTo("23514");
        // The state is more precise than Spring's category for it: 54 is no resource that comes back.
        assertThat(postgres("54000")).isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);
    }

    @Test
    void h2LockTimeoutDeadlockAndBrokenConnectionAreRetryable() {
        for (int code : new int[] {
            ErrorCode.LOCK_TIMEOUT_1,
            ErrorCode.DEADLOCK_1,
            ErrorCode.CONNECTION_BROKEN_1,
            ErrorCode.DATABASE_IS_CLOSED,
            ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
            ErrorCode.STATEMENT_WAS_CANCELED
        }) {
            assertThat(Failures.classify(h2(code))).as("H2 %d", code).isEqualTo(Kind.RETRYABLE);
        }
    }

    @Test
    void h2ConstraintDataAndSyntaxErrorsAreFatal() {
        for (int code : new int[] {
            ErrorCode.CHECK_CONSTRAINT_VIOLATED_1,
            ErrorCode.DUPLICATE_KEY_1,
            ErrorCode.NULL_NOT_ALLOWED,
            ErrorCode.VALUE_TOO_LONG_2,
            ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_1,
            ErrorCode.SYNTAX_ERROR_2,
            ErrorCode.GENERAL_ERROR_1
        }) {
            assertThat(Failures.classify(h2(code))).as("H2 %d", code).isEqualTo(Kind.FATAL);
        }
    }

    @Test
    void overloadTheEmptyPoolAndSpringsTransientTypesAreRetryable() {
        assertThat(Failures.isRetryable(new Overloaded("full", Duration.ofSeconds(1))))
                .isTrue();
        // Hikari: no connection within connection-timeout, wrapped by the transaction manager.
        assertThat(Failures.isRetryable(new CannotCreateTransactionException(
                        "no connection", new SQLTransientConnectionException("pool - Connection is not available"))))
                .isTrue();
        assertThat(Failures.isRetryable(new QueryTimeoutException("slow"))).isTrue();
        assertThat(Failures.isRetryable(
                        new UncategorizedSQLException("x", "SELECT 1", new SQLException("I/O error", "08006"))))
                .isTrue();
        // A future's wrapper around it changes nothing.
        assertThat(Failures.isRetryable(new IllegalStateException(
                        "Processing failed", new SQLException("terminating connection", "57P01"))))
                .isTrue();
    }

    @Test
    void aFailureToConnectIsRetryableWhateverTheServerSaid() {
        // Hikari after connection-timeout, carrying the last attempt's failure (a wrong password here):
        // it concerns every record alike, so it is no reason to dead-letter one.
        SQLException refused = server("28P01");
        assertThat(Failures.isRetryable(new CannotCreateTransactionException(
                        "Could not open JDBC Connection",
                        new SQLTransientConnectionException("pool - Connection is not available", "28P01", refused))))
                .isTrue();
    }

    @Test
    void aFailedRollbackIsClassifiedByTheFailureBehindIt() {
        assertThat(Failures.isRetryable(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed", "08003"))))
                .isTrue();

        TransactionSystemException afterConnectionLoss = new TransactionSystemException("rollback failed");
        afterConnectionLoss.initApplicationException(postgres("08006"));
        assertThat(Failures.isRetryable(afterConnectionLoss)).isTrue();

        TransactionSystemException afterConstraint = new TransactionSystemException("rollback failed");
        afterConstraint.initApplicationException(postgres("23505"));
        assertThat(Failures.isRetryable(afterConstraint)).isFalse();
    }

    @Test
    void aJdbcBatchIsClassifiedByTheErrorChainedBehindIt() {
        java.sql.BatchUpdateException refused =
                new java.sql.BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        refused.setNextException(server("23505"));
        assertThat(Failures.classify(new UncategorizedSQLException("x", "INSERT", refused)))
                .isEqualTo(Kind.FATAL);

        java.sql.BatchUpdateException lost =
                new java.sql.BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        lost.setNextException(server("08006"));
        assertThat(Failures.classify(new UncategorizedSQLException("x", "INSERT", lost)))
                .isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void bugsAndUnknownFailuresAreFatal() {
        assertThat(Failures.classify(new NullPointerException("bug"))).isEqualTo(Kind.FATAL);
        assertThat(Failures.classify(new IllegalStateException("bug"))).isEqualTo(Kind.FATAL);
        assertThat(Failures.classify(new IllegalArgumentException("bug"))).isEqualTo(Kind.FATAL);
        assertThat(Failures.classify(new SQLException("no state"))).isEqualTo(Kind.FATAL);
        assertThat(Failures.classify(new SQLException("odd state", "8"))).isEqualTo(Kind.FATAL);
        assertThat(Failures.classify(new DataIntegrityViolationException("duplicate key")))
                .isEqualTo(Kind.FATAL);
    }
}
