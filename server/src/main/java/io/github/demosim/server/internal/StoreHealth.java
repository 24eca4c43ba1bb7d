package io.github.demosim.server.internal;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.StoreException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Whether the database works, and what the server does when it does not. A failure that means the database
 * itself is broken (the store reports it: connection lost, H2 closed the database after an error inside it,
 * read-only) makes the server not ready and starts a recovery: every connection is closed and the database
 * opened again, then written to; tries back off up to 5 s apart. If it still fails after the recovery time,
 * the server gives up and stops ({@link ErrorCode#SERVER_STORE_FAILED}) rather than answer every request with an
 * internal error for ever. Thread-safe.
 */
final class StoreHealth {
    private static final System.Logger LOG = System.getLogger(StoreHealth.class.getName());
    private static final long FIRST_RETRY_MS = 250;
    private static final long MAX_RETRY_MS = 5_000;

    /** Where the database stands. */
    enum State { READY, RECOVERING, FAILED }

    private final MessageStore store;
    private final ScheduledExecutorService scheduler;
    private final Duration recoveryTime;
    private final Consumer<ImException> onFailed;
    private final AtomicReference<State> state = new AtomicReference<>(State.READY);
    private volatile long deadlineNanos;
    private volatile StoreException cause;

    StoreHealth(MessageStore store, ScheduledExecutorService scheduler, Duration recoveryTime,
            Consumer<ImException> onFailed) {
        this.store = store;
        this.scheduler = scheduler;
        this.recoveryTime = recoveryTime;
        this.onFailed = onFailed;
    }

    /** A request failed in a way that means the database is broken. */
    void broken(StoreException e) {
        if (!state.compareAndSet(State.READY, State.RECOVERING)) {
            return;
        }
        cause = e;
        LOG.log(System.Logger.Level.WARNING, "the database failed; not ready while reopening it (for up to "
                + recoveryTime.toSeconds() + " s): " + e.describe(), e);
        deadlineNanos = System.nanoTime() + recoveryTime.toNanos();
        schedule(0, FIRST_RETRY_MS);
    }

    private void schedule(long delayMs, long nextDelayMs) {
        try {
            scheduler.schedule(() -> attempt(nextDelayMs), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping anyway
        }
    }

    private void attempt(long nextDelayMs) {
        try {
            store.reopen();
            store.checkWritable();
            state.set(State.READY);
            LOG.log(System.Logger.Level.WARNING, "the database works again; ready");
        } catch (RuntimeException failure) {
            // Any failure counts: an exception escaping this scheduled task would end the recovery silently,
            // leaving the server neither ready nor stopped.
            StoreException e = failure instanceof StoreException s ? s
                    : new StoreException("reopen the database failed: " + failure, failure);
            cause = e;
            if (System.nanoTime() - deadlineNanos > 0) {
                state.set(State.FAILED);
                onFailed.accept(new ImException(ErrorCode.SERVER_STORE_FAILED, "The demos-im server stopped: its "
                        + "database failed and could not be reopened within " + recoveryTime.toSeconds() + " s ("
                        + e.describe() + "). Check the database (disk, permissions, server), then start again.", e));
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "the database cannot be reopened yet: {0}", e.describe());
            schedule(nextDelayMs, Math.min(MAX_RETRY_MS, nextDelayMs * 2));
        }
    }

    /**
     * Whether the database works as far as the server knows.
     *
     * @return {@code true} when ready
     */
    boolean ready() {
        return state.get() == State.READY;
    }

    /**
     * The state now.
     *
     * @return the state
     */
    State state() {
        return state.get();
    }

    /**
     * The last failure seen, for reports.
     *
     * @return the failure, or {@code null}
     */
    StoreException lastFailure() {
        return cause;
    }
}
