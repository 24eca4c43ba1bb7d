package io.github.demosim;

/**
 * Where a peer's connection to its server stands. Reported by {@code state()} and to connection-state
 * listeners.
 *
 * <pre>
 *   DISCONNECTED --connect()--&gt; CONNECTING --registered--&gt; CONNECTED
 *        ^                          |                          |
 *        |   connect failed         |            connection lost
 *        +--------------------------+                          v
 *        +-------- gave up (policy exhausted, or refused) -- RECONNECTING --re-registered--&gt; CONNECTED
 *
 *   any state --close()--&gt; CLOSED (final)
 * </pre>
 */
public enum ConnectionState {
    /** Not connected and not trying: before the first {@code connect()}, after it failed, or after reconnection gave up. */
    DISCONNECTED,
    /** {@code connect()} is opening the connection and registering. */
    CONNECTING,
    /** Open and registered: requests go out at once. */
    CONNECTED,
    /** The connection was lost; the peer is waiting out a back-off delay or opening and re-registering. */
    RECONNECTING,
    /** {@code close()} was called. Final: the peer cannot be used again. */
    CLOSED
}
