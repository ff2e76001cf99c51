package dev.tally.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.SmartLifecycle;

/**
 * Periodic background work of the service (outbox pruning, rollup folding) on one named daemon
 * thread, started and stopped with the application context. Daemon: such work is redone from the
 * database after a restart, so nothing is lost when it dies with the process.
 */
public abstract class BackgroundTask implements SmartLifecycle {

    private final String threadName;
    private volatile ScheduledExecutorService scheduler;

    protected BackgroundTask(String threadName) {
        this.threadName = threadName;
    }

    /** One named daemon thread, for work that has no lifecycle of its own to hang on. */
    public static ScheduledExecutorService daemonScheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** False when configuration turns this work off on this instance. */
    protected abstract boolean enabled();

    /** Schedules the first (or every) run on {@code scheduler}. */
    protected abstract void schedule(ScheduledExecutorService scheduler);

    /** The running scheduler, or null once stopped: for work that schedules its own next run. */
    protected ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void start() {
        if (!enabled()) {
            return;
        }
        ScheduledExecutorService s = daemonScheduler(threadName);
        scheduler = s;
        schedule(s);
    }

    @Override
    public void stop() {
        ScheduledExecutorService s = scheduler;
        scheduler = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
