package dev.tally.config;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The one way Tally runs background work (the relay's publishers and lag refresher, outbox
 * pruning, rollup folding): a {@link Loop} is an iteration that the scheduler runs again after the
 * delay it returns, or after its {@link BackOff}'s next interval when it failed. The waiting is
 * the scheduler's, never a sleep in the work, so every wait is a bounded delay and a stop cancels
 * it at once.
 *
 * <p>One {@link ThreadPoolTaskScheduler} runs them all, with one thread per loop: a loop has at
 * most one iteration running or queued (it schedules its next one when it ends), so an iteration
 * that blocks (a Kafka call during an outage) never delays another loop, and the scheduler's queue
 * never holds more than the loops. Daemon threads: all this work is redone from the database after
 * a restart.
 *
 * <p>Not a Spring bean of type {@code TaskScheduler}: an {@code Executor} bean would replace Spring
 * Boot's {@code applicationTaskExecutor}. The owners stop their loops in their own
 * {@code SmartLifecycle.stop()}; the scheduler ends when the context is destroyed, after that.
 */
@Component
public class BackgroundLoops implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoops.class);

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private int loops;

    BackgroundLoops() {
        scheduler.setThreadNamePrefix("tally-background-");
        scheduler.setDaemon(true);
        scheduler.setPoolSize(1);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.initialize();
    }

    /** One iteration; returns the pause before the next one. */
    @FunctionalInterface
    public interface Iteration {
        Duration run() throws Exception;
    }

    /** Says (logs, counts) that an iteration failed; the loop runs again after {@code retryIn}. */
    @FunctionalInterface
    public interface FailureReport {
        void failed(Exception e, Duration retryIn);
    }

    /**
     * A loop, not yet started. {@code name} names the iteration's thread while it runs, as the
     * dedicated threads of the past did ({@code tally-relay-notifications}, ...).
     */
    public synchronized Loop loop(String name, BackOff backOff, Iteration iteration, FailureReport onFailure) {
        loops++;
        scheduler.setPoolSize(loops);
        return new Loop(name, backOff, iteration, onFailure);
    }

    @Override
    public void destroy() {
        scheduler.shutdown();
    }

    /** A background loop: {@link #start(Duration)}, {@link #stop(Duration, Duration)}; not restartable while running. */
    public final class Loop {

        private final String name;
        private final BackOff backOff;
        private final Iteration iteration;
        private final FailureReport onFailure;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition idle = lock.newCondition();
        private volatile boolean running;
        private @Nullable BackOffExecution failing;
        private @Nullable ScheduledFuture<?> next;
        private @Nullable Thread runner;

        private Loop(String name, BackOff backOff, Iteration iteration, FailureReport onFailure) {
            this.name = name;
            this.backOff = backOff;
            this.iteration = iteration;
            this.onFailure = onFailure;
        }

        /** False once {@link #stop} was called: a long iteration checks it to end early. */
        public boolean running() {
            return running;
        }

        /** Runs the first iteration after {@code delay}. */
        public void start(Duration delay) {
            lock.lock();
            try {
                running = true;
                failing = null;
                schedule(delay);
            } finally {
                lock.unlock();
            }
        }

        private void schedule(Duration delay) {
            try {
                next = scheduler.schedule(this::runOnce, Instant.now().plus(delay));
            } catch (TaskRejectedException e) {
                // Only once the context is being destroyed, after the owner's stop().
                running = false;
                log.warn("Background loop {} not rescheduled: the scheduler is shut down", name);
            }
        }

        private void runOnce() {
            lock.lock();
            try {
                if (!running) {
                    return;
                }
                runner = Thread.currentThread();
            } finally {
                lock.unlock();
            }
            Thread thread = Thread.currentThread();
            String poolName = thread.getName();
            thread.setName(name);
            Duration delay;
            try {
                delay = iteration.run();
                failing = null;
            } catch (Exception e) {
                BackOffExecution backOffExecution = failing;
                if (backOffExecution == null) {
                    backOffExecution = backOff.start();
                    failing = backOffExecution;
                }
                long ms = backOffExecution.nextBackOff();
                // A BackOff that gives up would end the loop silently: these loops retry forever.
                delay = Duration.ofMillis(ms == BackOffExecution.STOP ? 1_000 : ms);
                if (running) {
                    onFailure.failed(e, delay);
                } else {
                    log.debug("Background loop {} failed while stopping", name, e);
                }
            } finally {
                thread.setName(poolName);
                // An interrupt meant for this iteration (by stop) must not reach the pool's next task.
                boolean interruptedByStop = Thread.interrupted();
                if (interruptedByStop && running) {
                    log.warn("Background loop {} was interrupted while running", name);
                }
            }
            lock.lock();
            try {
                runner = null;
                idle.signalAll();
                if (running) {
                    schedule(delay);
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Stops the loop: the next iteration is cancelled; a running one gets {@code grace} to end
         * (long iterations look at {@link #running()}), then is interrupted and gets
         * {@code afterInterrupt}. Returns false if it still runs then (stuck in a call that ignores
         * interrupts; it ends on its own and is not rescheduled).
         */
        public boolean stop(Duration grace, Duration afterInterrupt) {
            lock.lock();
            try {
                running = false;
                ScheduledFuture<?> pending = next;
                if (pending != null) {
                    pending.cancel(false);
                }
                if (awaitIdle(grace)) {
                    return true;
                }
                Thread t = runner;
                if (t != null) {
                    t.interrupt();
                }
                if (awaitIdle(afterInterrupt)) {
                    return true;
                }
                log.warn(
                        "Background loop {} still running {} after it was told to stop",
                        name,
                        grace.plus(afterInterrupt));
                return false;
            } finally {
                lock.unlock();
            }
        }

        private boolean awaitIdle(Duration timeout) {
            long nanos = timeout.toNanos();
            while (runner != null) {
                if (nanos <= 0) {
                    return false;
                }
                try {
                    nanos = idle.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return runner == null;
                }
            }
            return true;
        }

        /** Whether an iteration runs now. */
        public boolean busy() {
            lock.lock();
            try {
                return runner != null;
            } finally {
                lock.unlock();
            }
        }
    }
}
