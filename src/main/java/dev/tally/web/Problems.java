package dev.tally.web;

import dev.tally.processing.Overloaded;
import dev.tally.record.FieldError;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * RFC 9457 problem responses, and the classification of failures into what a client should do:
 * fix the request (4xx), retry later (503 with {@code Retry-After}), or report a bug (500).
 * Used by every controller (see {@link ProblemAdvice}).
 */
public final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("/problems/" + type));
        p.setTitle(title);
        return p;
    }

    /** 400 naming every broken rule: {@code errors: [{"field","message"}]}. */
    public static ProblemDetail invalid(String type, String title, List<FieldError> errors) {
        StringBuilder detail = new StringBuilder();
        for (FieldError e : errors) {
            detail.append(detail.isEmpty() ? "" : "; ").append(e.field()).append(' ').append(e.message());
        }
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, type, title, detail.toString());
        p.setProperty("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        return p;
    }

    /**
     * True for failures that a later retry can get past: the write queue is full, or the database
     * is unreachable, restarting, or rolled the transaction back for a transient reason. Looks
     * through causes, and through a failed rollback to the failure that caused it.
     */
    public static boolean isRetryable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Overloaded
                    || c instanceof TransientDataAccessException
                    || c instanceof RecoverableDataAccessException
                    || c instanceof DataAccessResourceFailureException
                    || c instanceof CannotCreateTransactionException
                    || c instanceof java.sql.SQLTransientException
                    || c instanceof java.sql.SQLRecoverableException
                    || (c instanceof java.sql.SQLException sql && isTransientSqlState(sql.getSQLState()))) {
                return true;
            }
            if (c instanceof TransactionSystemException tse && tse.getApplicationException() != null
                    && isRetryable(tse.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes that mean "try again": 08 connection exception (a pool's closed connection
     * included), 40 transaction rollback (serialization, deadlock), 53 insufficient resources,
     * 57P operator intervention (server shutting down or restarting).
     */
    private static boolean isTransientSqlState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P"));
    }

    /** 503 + Retry-After for retryable failures, 500 (logged) for everything else. */
    public static ResponseEntity<ProblemDetail> failure(Throwable t, Duration retryAfter) {
        if (isRetryable(t)) {
            String detail = t instanceof Overloaded ? t.getMessage()
                    : "The database is unavailable; nothing was stored for the failed records. Retrying is safe.";
            return unavailable(detail, retryAfter);
        }
        log.error("Unexpected failure while processing a request", t);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error", "Internal error", "An unexpected error occurred; it has been logged."));
    }

    public static ResponseEntity<ProblemDetail> unavailable(String detail, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail));
    }
}
