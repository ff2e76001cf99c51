package dev.tally.processing;

import dev.tally.config.ProcessingProperties;
import dev.tally.web.Problems;
import java.sql.SQLException;
import java.time.Duration;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * What a database or queue failure that leaves any controller means for the client: 503 with
 * {@code Retry-After} for a failure {@link Failures} classifies retryable, a logged 500 for
 * everything else; the same classification the Kafka listener retries or dead-letters by. Here,
 * beside {@link Failures} and {@link Overloaded}, so that the shared edge ({@code web}) need not
 * know them.
 */
@RestControllerAdvice
public final class FailureAdvice {

    private final ProcessingProperties processing;

    FailureAdvice(ProcessingProperties processing) {
        this.processing = processing;
    }

    @ExceptionHandler({Overloaded.class, DataAccessException.class, TransactionException.class, SQLException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        return answer(e, processing.retryAfter());
    }

    /**
     * The answer to {@code t}, for the advice and for a stream that already began (an NDJSON batch
     * reports it in its last line); {@code retryAfter} unless the failure is {@link Overloaded},
     * which carries its own.
     */
    public static ResponseEntity<ProblemDetail> answer(Throwable t, Duration retryAfter) {
        if (Failures.isRetryable(t)) {
            if (t instanceof Overloaded o) {
                return Problems.overloaded(o.getMessage(), o.retryAfter());
            }
            return Problems.unavailable(
                    "The database is unavailable; nothing was stored for the failed records. Retrying is safe.",
                    retryAfter);
        }
        return Problems.internalError(t);
    }
}
