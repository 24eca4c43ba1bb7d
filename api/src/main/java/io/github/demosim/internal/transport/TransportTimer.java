package io.github.demosim.internal.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of every transport session in the JVM: the dispatchers' pings and idle checks, and the
 * transports' connect and close deadlines. A daemon, never an I/O or listener thread; it ends by itself about a
 * second after the last task is gone.
 */
public final class TransportTimer {
    private static final System.Logger LOG = System.getLogger(TransportTimer.class.getName());
    private static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private TransportTimer() {
    }

    /**
     * Runs {@code task} once after {@code delay}, for connect and close deadlines; a task that throws is logged.
     *
     * @param delay how long to wait
     * @param task what to run
     * @return cancels the task if it has not run yet
     */
    public static Runnable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        ScheduledFuture<?> future = EXECUTOR.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "transport timer task failed", e);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /**
     * The timer itself, for the dispatchers' periodic ticks.
     *
     * @return the executor
     */
    public static ScheduledThreadPoolExecutor executor() {
        return EXECUTOR;
    }

    private static ScheduledThreadPoolExecutor create() {
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "demos-im-transport-timer");
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, factory);
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(1, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
