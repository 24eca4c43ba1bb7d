package io.github.demosim;

/**
 * The handle a listener registration returns. Closing it removes the listener; the listener is not called
 * after {@link #close()} returns, except for a call already running. Closing twice is harmless.
 *
 * <pre>{@code
 * try (Subscription s = peer.onMessage(m -> System.out.println(m.text()))) {
 *     // listening while inside the block
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener. Idempotent; never throws. */
    @Override
    void close();
}
