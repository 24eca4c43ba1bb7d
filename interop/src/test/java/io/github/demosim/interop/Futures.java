package io.github.demosim.interop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting in tests, with hang guards only (never timing assertions). */
final class Futures {

    private static final long GUARD_SECONDS = 30;

    private Futures() {
    }

    /** The value of {@code future}; its failure, or a hang, is an {@link AssertionError} that says what it was. */
    static <T> T join(CompletableFuture<T> future, String what) {
        try {
            return future.get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + GUARD_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** The next element of {@code queue}; none within the guard is an {@link AssertionError}. */
    static <T> T next(BlockingQueue<T> queue, String what) {
        try {
            T value = queue.poll(GUARD_SECONDS, TimeUnit.SECONDS);
            if (value == null) {
                throw new AssertionError("no " + what + " within " + GUARD_SECONDS + " s");
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
