package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Hang guards: generous bounds that only fire when something is broken, never timing assertions. */
final class Await {
    static final long SECONDS = 20;

    private Await() {
    }

    static <T> T done(CompletableFuture<T> f) {
        try {
            return f.get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The exception the future fails with. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next element that matches, skipping the others. */
    static <T> T nextMatching(BlockingQueue<T> q, java.util.function.Predicate<? super T> wanted) {
        while (true) {
            T t = next(q);
            if (wanted.test(t)) {
                return t;
            }
        }
    }

    static <T> T next(BlockingQueue<T> q) {
        try {
            T t = q.poll(SECONDS, TimeUnit.SECONDS);
            assertThat(t).as("an event within %d s", SECONDS).isNotNull();
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
