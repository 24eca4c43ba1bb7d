package io.github.demosim.server.internal.net;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. A running task may {@linkplain #hold()
 * hold} the queue: the next task then starts only once the hold is released, on whatever thread releases it,
 * and no thread waits meanwhile.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    /** The hold taken by the task running now, or {@code null}. */
    private Hold hold;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            stopped();
            throw e; // the caller says what is dropped
        }
    }

    /**
     * The delegate refused to run the queue (the server is stopping): what is queued goes with the connection,
     * and the queue is left idle, so that a later task starts a drain again instead of queueing behind one that
     * never runs.
     */
    private void stopped() {
        synchronized (tasks) {
            tasks.clear();
            running = false;
        }
    }

    /** Called by the running task: the queue stays where it is until the returned hold is released. */
    Hold hold() {
        synchronized (tasks) {
            if (hold == null) {
                hold = new Hold();
            }
            return hold;
        }
    }

    /** The hold taken by the task running now, or {@code null}. */
    Hold current() {
        synchronized (tasks) {
            return hold;
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
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                System.getLogger(SerialExecutor.class.getName()).log(System.Logger.Level.WARNING,
                        "connection task failed", e);
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
}
