package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer's connection state changed.
 *
 * @param previous the state before
 * @param current the state now
 * @param cause why the connection was lost, a connect failed or reconnection gave up; empty for changes
 *     that are not failures
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current, Optional<ImException> cause) {

    /**
     * Creates the event.
     *
     * @param previous the state before
     * @param current the state now
     * @param cause the failure behind the change, or empty
     */
    public ConnectionStateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cause, "cause");
    }
}
