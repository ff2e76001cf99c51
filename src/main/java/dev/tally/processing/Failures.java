package dev.tally.processing;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * The one classifier of write-path failures, used by every input: the HTTP edge answers a
 * {@link Kind#RETRYABLE} failure with 503 and {@code Retry-After} and a {@link Kind#FATAL} one with
 * a logged 500; the Kafka listener retries a retryable batch with back-off and isolates the record
 * behind a fatal one (dead letter {@code processing-failed}).
 *
 * <p>Retryable means "the same input can succeed later, unchanged": the write queue is full, the
 * database is unreachable, restarting, out of resources, or rolled the transaction back because of
 * a concurrent one. Fatal means the failure comes with the input or with the code (a constraint or
 * data error, a statement the database refuses, a bug): retrying it gets the same answer forever.
 * Anything not recognised as retryable is fatal, so that an unknown failure is reported and cannot
 * stall a Kafka partition; the price of a wrong guess is a dead letter (the original bytes are kept
 * and can be replayed), never a lost record.
 *
 * <p>The whole cause chain is searched, because a driver's {@link SQLException} reaches us wrapped
 * (Spring's translation, {@code UncategorizedSQLException}, a failed rollback's
 * {@link TransactionSystemException}, a future's wrapper). The first standard SQLSTATE in it
 * decides, since it is more precise than the type Spring translated it to; without one, the
 * exception types do.
 */
public final class Failures {

    /** What the caller should do with the input that failed. */
    public enum Kind {
        /** Try the same input again later (with back-off); it was not stored. */
        RETRYABLE,
        /** The same input will fail again: report it (500) or dead-letter it (Kafka). */
        FATAL
    }

    /** Causes looked at, at most: a longer chain is a cycle, and the first ones are what matter. */
    private static final int MAX_CAUSES = 64;

    private Failures() {}

    public static Kind classify(Throwable failure) {
        return isRetryable(failure) ? Kind.RETRYABLE : Kind.FATAL;
    }

    public static boolean isRetryable(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable c : chain) {
            if (c instanceof SQLException sql) {
                Kind byState = bySqlState(sql.getSQLState());
                if (byState != null) {
                    return byState == Kind.RETRYABLE;
                }
            }
        }
        for (Throwable c : chain) {
            if (isRetryableType(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure and its causes, in order; for a failed rollback ({@link TransactionSystemException})
     * the failure that caused the rollback comes first, then the rollback's own causes; after a
     * {@link SQLException}, the exceptions chained to it with {@code setNextException} (a JDBC
     * batch reports the statement's real error there, behind a generic {@code BatchUpdateException}).
     */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Throwable c = failure;
        while (c != null && chain.size() < MAX_CAUSES) {
            if (c instanceof TransactionSystemException tse && tse.getApplicationException() != null) {
                chain.addAll(chain(tse.getApplicationException()));
            }
            chain.add(c);
            if (c instanceof SQLException sql) {
                for (SQLException next = sql.getNextException();
                        next != null && chain.size() < MAX_CAUSES;
                        next = next.getNextException()) {
                    chain.add(next);
                }
            }
            c = c.getCause();
        }
        return chain;
    }

    /**
     * Types that say "transient" by themselves. Spring's {@link TransientDataAccessException}
     * (lock and serialization failures, query timeouts) and {@link RecoverableDataAccessException};
     * {@link DataAccessResourceFailureException} although Spring files it under non-transient
     * (a lost connection is not about the input); the JDBC transient and recoverable exceptions
     * (the pool's {@code SQLTransientConnectionException}, H2's lock timeout and deadlock) and
     * connection exceptions (H2 reports a broken or closed database as
     * {@link SQLNonTransientConnectionException}: "non-transient" for that connection, while a new
     * one can succeed).
     */
    private static boolean isRetryableType(Throwable c) {
        return c instanceof Overloaded
                || c instanceof TransientDataAccessException
                || c instanceof RecoverableDataAccessException
                || c instanceof DataAccessResourceFailureException
                || c instanceof CannotCreateTransactionException
                || c instanceof TransactionTimedOutException
                || c instanceof SQLTransientException
                || c instanceof SQLRecoverableException
                || c instanceof SQLNonTransientConnectionException;
    }

    /**
     * What a SQLSTATE says, or null when it says nothing we rely on (then the exception types
     * decide: H2's own states such as 90067, connection broken, are not standard classes).
     * Standard classes are PostgreSQL's, which H2 follows where they exist.
     *
     * <p>Retryable:
     * <ul>
     * <li>08, connection exception (a pool's closed connection included);
     * <li>40, transaction rollback: 40001 serialization failure, 40P01 deadlock, 40003 statement
     *     completion unknown (the connection went during the commit; resending is safe, processing
     *     is idempotent). PostgreSQL reports a deferred constraint violated at commit as class 23;
     * <li>53, insufficient resources (disk full, out of memory, too many connections);
     * <li>57, operator intervention: 57P01–57P04 shutdown, crash, starting, database dropped, and
     *     57014, a statement cancelled (statement timeout or an operator);
     * <li>58, system error (an I/O error on the server);
     * <li>55P03, a lock not available in time; HYT00, a timeout (H2's lock timeout).
     * </ul>
     * Fatal: 0A feature not supported, 21 cardinality, 22 data exception, 23 integrity constraint
     * violation, 42 syntax error or access rule violation, 54 program limit exceeded (an index row
     * too large for one record: Spring files 54 with the resource failures, but it does not go away
     * by waiting), P0 raised by a trigger or function, XX internal error.
     *
     * <p>Not classified here on purpose: 28 (authorization) and 3D (no such database), which
     * arrive when connecting and concern every record alike; the pool reports them as a transient
     * "connection not available", which is what they are to the write path.
     */
    static Kind bySqlState(String state) {
        if (state == null || state.length() != 5) {
            return null;
        }
        if (state.equals("55P03") || state.equals("HYT00")) {
            return Kind.RETRYABLE;
        }
        return switch (state.substring(0, 2)) {
            case "08", "40", "53", "57", "58" -> Kind.RETRYABLE;
            case "0A", "21", "22", "23", "42", "54", "P0", "XX" -> Kind.FATAL;
            default -> null;
        };
    }
}
