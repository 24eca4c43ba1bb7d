package io.github.demosim.reliability.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition, with a generous hang guard (never a timing assertion). */
public final class Await {
    private Await() {
    }

    /** Polls until {@code condition} holds; fails with {@code what} after {@code guard}. */
    public static void until(String what, Duration guard, BooleanSupplier condition) {
        long deadline = System.nanoTime() + guard.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting (" + guard.toSeconds() + " s hang guard): " + what);
            }
            sleep(20);
        }
    }

    /** Polls until {@code condition} holds; the message is computed on failure. */
    public static void until(Supplier<String> what, Duration guard, BooleanSupplier condition) {
        long deadline = System.nanoTime() + guard.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting (" + guard.toSeconds() + " s hang guard): " + what.get());
            }
            sleep(20);
        }
    }

    /** Sleeps, restoring the interrupt flag. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
