package io.github.demosim.internal.peer;

import io.github.demosim.internal.concurrent.SerialExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads of one peer.
 *
 * <ul>
 *   <li>{@link #control()}: one thread that owns the peer's state. Every state change, timer and frame
 *       write happens on it, so the state machine needs no locks. User code never runs on it.</li>
 *   <li>{@link #callbacks()}: where user code runs. Futures complete here, and {@link #events()} runs
 *       listener calls here one at a time, in order. By default a pool of daemon threads owned by the peer
 *       (normally one thread; a second one appears only when a listener blocks on a future of the same
 *       peer, so that this cannot deadlock); or the executor the user supplied.</li>
 * </ul>
 *
 * Thread names start with {@link #namePrefix()}, e.g. {@code demos-im-l2ps-3-control}.
 */
public final class PeerThreads {
    private static final System.Logger LOG = System.getLogger("io.github.demosim.peer");
    private static final AtomicInteger PEERS = new AtomicInteger();

    private final String namePrefix;
    private final ScheduledThreadPoolExecutor control;
    private final ExecutorService ownedCallbacks;
    private final Executor callbacks;
    private final SerialExecutor events;
    private volatile Thread controlThread;
    private volatile Consumer<Throwable> taskFailure = failure -> { };

    /**
     * @param kind {@code l2ps} or {@code legacy}, for thread names
     * @param userExecutor the user's executor for callbacks, or {@code null} for the peer's own daemon threads
     */
    public PeerThreads(String kind, Executor userExecutor) {
        this.namePrefix = "demos-im-" + kind + "-" + PEERS.incrementAndGet() + "-";
        this.control = new ScheduledThreadPoolExecutor(1, daemon(namePrefix + "control", true));
        control.setRemoveOnCancelPolicy(true);
        control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        if (userExecutor == null) {
            ownedCallbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), daemon(namePrefix + "callback-", false));
            callbacks = ownedCallbacks;
        } else {
            ownedCallbacks = null;
            callbacks = userExecutor;
        }
        events = new SerialExecutor(callbacks, "A demos-im listener threw; the next listeners still run");
    }

    private ThreadFactory daemon(String name, boolean isControl) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, isControl ? name : name + n.incrementAndGet());
            t.setDaemon(true);
            if (isControl) {
                controlThread = t;
            }
            return t;
        };
    }

    /** The prefix of every thread name of this peer. */
    public String namePrefix() {
        return namePrefix;
    }

    /** The single control thread's executor, also the peer's timer. */
    public ScheduledThreadPoolExecutor control() {
        return control;
    }

    /**
     * Sets what to do, on the control thread, when a posted task throws (after it was logged): the executor would
     * otherwise keep the failure in a future nobody reads.
     */
    public void onTaskFailure(Consumer<Throwable> handler) {
        taskFailure = Objects.requireNonNull(handler, "handler");
    }

    /** Runs a task on the control thread; returns {@code false}, dropping the task, once the peer is shut down. */
    public boolean post(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "A task of " + namePrefix + "control failed", e);
                    try {
                        taskFailure.accept(e);
                    } catch (RuntimeException | Error again) {
                        LOG.log(System.Logger.Level.ERROR, "Handling that failure failed too", again);
                    }
                }
            });
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /** Whether the caller runs on the control thread. */
    public boolean onControlThread() {
        return Thread.currentThread() == controlThread;
    }

    /** Where user code runs. */
    public Executor callbacks() {
        return callbacks;
    }

    /** Runs listener calls one at a time, in order, on {@link #callbacks()}. */
    public SerialExecutor events() {
        return events;
    }

    /**
     * Completes a future the user holds on {@link #callbacks()}, so that the user's dependent stages never run
     * on the control thread. Falls back to the caller's thread once the callback executor refuses work.
     */
    public <T> void complete(CompletableFuture<T> future, T value, Throwable failure) {
        Runnable completion = failure == null ? () -> future.complete(value)
                : () -> future.completeExceptionally(failure);
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    /** Whether the caller runs on one of the peer's own threads. */
    public boolean onOwnThread() {
        return Thread.currentThread().getName().startsWith(namePrefix);
    }

    /**
     * Stops the control thread at once and lets the callback threads finish what is queued, waiting up to
     * {@code grace} for both unless the caller is one of these threads.
     */
    public void shutdown(Duration grace) {
        control.shutdownNow();
        if (ownedCallbacks != null) {
            ownedCallbacks.shutdown();
        }
        if (onOwnThread()) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            control.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (ownedCallbacks != null) {
                ownedCallbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
