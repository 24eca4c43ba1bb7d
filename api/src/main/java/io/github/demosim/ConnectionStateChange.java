package io.github.demosim;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer's connection state changed.
 *
 * <pre>{@code
 * peer.onConnectionStateChange(c -> {
 *     if (c.failover()) {
 *         System.out.println("now on " + c.server() + " after " + c.cause().map(Throwable::getMessage).orElse("?"));
 *     }
 * });
 * }</pre>
 *
 * @param previous the state before
 * @param current the state now
 * @param cause why the connection was lost, a connect failed or reconnection gave up; empty for changes
 *     that are not failures
 * @param server the server the change concerns: for {@link ConnectionState#CONNECTED} the one the peer registered
 *     with, otherwise the one it was connected to, or trying, when the state changed ({@code docs/failover.md})
 * @param failover true on a change to {@link ConnectionState#CONNECTED} on another server than the peer's previous
 *     registration: the peer failed over, re-registered there and re-synchronises presence
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current, Optional<ImException> cause,
        URI server, boolean failover) {

    /**
     * Creates the event.
     *
     * @param previous the state before
     * @param current the state now
     * @param cause the failure behind the change, or empty
     * @param server the server the change concerns
     * @param failover whether the peer registered on another server than before
     * @throws IllegalArgumentException if {@code failover} is true and {@code current} is not
     *     {@link ConnectionState#CONNECTED}
     */
    public ConnectionStateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(server, "server");
        if (failover && current != ConnectionState.CONNECTED) {
            throw new IllegalArgumentException("Only a change to CONNECTED is a failover, not one to " + current);
        }
    }
}
