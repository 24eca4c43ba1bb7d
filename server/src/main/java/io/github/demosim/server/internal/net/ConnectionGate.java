package io.github.demosim.server.internal.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;

/**
 * Admission of TCP connections, before any byte is read: a cap on all connections of the server and one per
 * client address (a connection over either is closed as soon as it is accepted), and a deadline for the
 * WebSocket handshake (a connection that has not upgraded by then is closed). One gate serves both ports, so
 * the caps count both. Installed on each Jetty connector as an accept listener (the counts follow the sockets
 * from accept to close, through the upgrade), and {@link #handshakeDeadline()} on each HTTP connection factory
 * only (Jetty hands a connector's connection listeners to the WebSocket connection too, which must not get the
 * deadline).
 */
final class ConnectionGate implements SelectorManager.AcceptListener {
    private static final System.Logger LOG = System.getLogger(ConnectionGate.class.getName());

    private final int maxConnections;
    private final int maxPerAddress;
    private final Duration handshakeTimeout;
    private final ScheduledExecutorService timers;
    private final Map<SelectableChannel, InetAddress> open = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handshakesTimedOut = new AtomicLong();
    /**
     * The deadline of each HTTP connection still in its handshake, cancelled once it upgrades or closes: a pending
     * timer holds the HTTP connection (its parser and request state) and the endpoint, and through the endpoint
     * the WebSocket session, so left to run it keeps a connection's memory for the whole timeout, even closed.
     */
    private final Map<Connection, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();

    ConnectionGate(int maxConnections, int maxPerAddress, Duration handshakeTimeout, ScheduledExecutorService timers) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.handshakeTimeout = handshakeTimeout;
        this.timers = timers;
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        InetAddress address = address(channel);
        String refusal = admit(channel, address);
        if (refusal != null) {
            refused.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "connection from {0} refused: {1}", address, refusal);
            IO.close(channel); // Jetty then reports the accept as failed; nothing was counted for it
        }
    }

    private synchronized String admit(SelectableChannel channel, InetAddress address) {
        if (open.size() >= maxConnections) {
            return open.size() + " connections open, the server's maximum";
        }
        int mine = address == null ? 0 : perAddress.getOrDefault(address, 0);
        if (address != null && mine >= maxPerAddress) {
            return mine + " connections open from this address, the maximum per address";
        }
        open.put(channel, address);
        if (address != null) {
            perAddress.put(address, mine + 1);
        }
        return null;
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        forget(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        forget(channel);
    }

    private synchronized void forget(SelectableChannel channel) {
        if (!open.containsKey(channel)) {
            return;
        }
        InetAddress address = open.remove(channel);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress address(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress() : null;
        } catch (IOException e) {
            return null; // already reset by the peer: Jetty fails its accept
        }
    }

    /**
     * The listener of the HTTP connections: each must become a WebSocket within the handshake timeout.
     *
     * @return the listener, for HTTP connection factories only
     */
    Connection.Listener handshakeDeadline() {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                EndPoint endPoint = connection.getEndPoint();
                deadlines.put(connection, timers.schedule(() -> {
                    deadlines.remove(connection);
                    if (endPoint.isOpen() && endPoint.getConnection() == connection) {
                        handshakesTimedOut.incrementAndGet();
                        LOG.log(System.Logger.Level.DEBUG, "{0}: no WebSocket handshake within {1} ms, closing",
                                endPoint.getRemoteSocketAddress(), handshakeTimeout.toMillis());
                        endPoint.close();
                    }
                }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS));
            }

            /** Jetty closes the HTTP connection when it upgrades (before the WebSocket one opens) or is closed. */
            @Override
            public void onClosed(Connection connection) {
                ScheduledFuture<?> deadline = deadlines.remove(connection);
                if (deadline != null) {
                    deadline.cancel(false); // the timers remove cancelled tasks, and the task lets go of its captures
                }
            }
        };
    }

    /**
     * Connections open now, on both ports.
     *
     * @return the count
     */
    synchronized int openConnections() {
        return open.size();
    }

    /**
     * Connections refused by a cap since the start.
     *
     * @return the count
     */
    long refused() {
        return refused.get();
    }

    /**
     * Connections closed for not finishing their handshake in time, since the start.
     *
     * @return the count
     */
    long handshakesTimedOut() {
        return handshakesTimedOut.get();
    }
}
