package io.github.demosim.internal.concurrent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on threads of another executor, and no thread waits between
 * them. Used by the peers (listener calls never overlap and never reorder, whatever executor the user
 * supplied) and by the server (one connection's frames in order on shared workers).
 *
 * <ul>
 *   <li><b>A task that throws</b> is logged and does not stop the ones after it.</li>
 *   <li><b>A hold</b>: the running task may {@linkplain #hold() hold} the queue; the next task then starts only
 *       once the hold is released, on whatever thread releases it (the server answers a frame from a write
 *       callback, and reads the next one only then).</li>
 *   <li><b>A refusing delegate</b> (it is shutting down, or its queue is full): the tasks queued at that moment
 *       are dropped and the queue is left idle, so that a later task starts a drain again instead of queueing
 *       behind one that will never run. {@link #execute} throws the {@link RejectedExecutionException} to its
 *       caller; a refused resume after a hold has no caller and is dropped quietly.</li>
 * </ul>
 */
public final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final String failureMessage;
    /** Two slots to start, not the default sixteen: one per server connection, which rarely queues more. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(2);
    /** A drain is submitted, running, or waiting for a hold: the next task queues behind it. */
    private boolean draining;
    /** The hold taken by the task running now, or {@code null}. */
    private Hold hold;

    /**
     * @param delegate where the tasks run
     * @param failureMessage what the log says when a task throws (the tasks after it still run)
     */
    public SerialExecutor(Executor delegate, String failureMessage) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.failureMessage = Objects.requireNonNull(failureMessage, "failureMessage");
    }

    /**
     * Queues {@code task} after every task submitted before it.
     *
     * @throws RejectedExecutionException if the delegate refused to start the queue; what was queued is dropped
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (tasks) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            stopped();
            throw e; // the caller says what is dropped
        }
    }

    /**
     * Called by the running task: the queue stays where it is until the returned hold is released. Calling it
     * again in the same task returns the same hold.
     *
     * @return the hold, to release exactly once the task's work is really done
     */
    public Hold hold() {
        synchronized (tasks) {
            if (hold == null) {
                hold = new Hold();
            }
            return hold;
        }
    }

    /** @return the hold taken by the task running now, or {@code null} */
    public Hold current() {
        synchronized (tasks) {
            return hold;
        }
    }

    private void stopped() {
        synchronized (tasks) {
            tasks.clear();
            draining = false;
        }
    }

    private void resume() {
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            stopped();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, failureMessage, e);
            }
            Hold taken;
            synchronized (tasks) {
                taken = hold;
                hold = null;
            }
            if (taken != null) {
                // Go on where the hold is released (at once if it already was), leaving this thread free.
                taken.onRelease(this::resume);
                return;
            }
        }
    }

    /**
     * A task whose work finishes later than it returns: while held, the queue runs no next task. Released
     * exactly once, by whoever completes the work (a write callback, a timer); releasing again does nothing.
     */
    public static final class Hold {
        private final List<Runnable> onRelease = new ArrayList<>();
        private boolean released;

        private Hold() {
        }

        /** Ends the hold: the queue goes on with its next task. */
        public void release() {
            List<Runnable> actions;
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
                actions = List.copyOf(onRelease);
                onRelease.clear();
            }
            actions.forEach(Runnable::run);
        }

        /**
         * Runs {@code action} on release, or now if already released.
         *
         * @param action what to run
         */
        public void onRelease(Runnable action) {
            synchronized (this) {
                if (!released) {
                    onRelease.add(action);
                    return;
                }
            }
            action.run();
        }
    }
}
