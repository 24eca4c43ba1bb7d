package io.github.demosim.server.internal.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * One Jetty 12 server with one connector per protocol. Any path upgrades to WebSocket; a plain HTTP request
 * gets the status and body the reference answers on that port. Sends pings so that clients which answer them
 * survive the idle timeout, as with Bun's {@code sendPings}.
 */
public final class WebSocketHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebSocketHost.class.getName());

    /**
     * What one port speaks.
     *
     * @param name protocol name ({@code l2ps}, {@code legacy}), also the Jetty connector name
     * @param port port, 0 for an ephemeral one
     * @param handler the protocol
     * @param plainHttpStatus status for requests that are not WebSocket upgrades
     * @param plainHttpBody body for those requests
     */
    public record PortSpec(String name, int port, ProtocolHandler handler, int plainHttpStatus, String plainHttpBody) {
    }

    /**
     * The bounds of the host (docs/server.md, "Connections").
     *
     * @param idleTimeout silence after which a connection is closed; pings go out at a third of it
     * @param maxMessageBytes largest accepted WebSocket message; larger ones close the connection with 1009
     * @param maxConnections connections on both ports together
     * @param maxConnectionsPerAddress connections from one client address
     * @param handshakeTimeout from accept to a finished WebSocket handshake
     * @param registrationTimeout from the handshake to a successful registration
     * @param outgoing bytes written and not yet taken by clients
     */
    public record Limits(Duration idleTimeout, int maxMessageBytes, int maxConnections, int maxConnectionsPerAddress,
            Duration handshakeTimeout, Duration registrationTimeout, OutgoingBudget outgoing) {
    }

    private final Server jetty;
    private final Map<String, ServerConnector> connectors = new LinkedHashMap<>();
    private final Map<String, ConnectionSet> connections = new LinkedHashMap<>();
    private final ScheduledExecutorService pinger;
    private final Duration idleTimeout;
    private final ConnectionGate gate;

    /**
     * Configures the server (not started).
     *
     * @param host the address to bind
     * @param listeners one per enabled protocol
     * @param workers runs protocol handlers
     * @param timers runs the host's deadlines and the reads resumed after a flood-control pause (short tasks only)
     * @param limits the bounds
     * @param tls the TLS context for {@code wss://} on every port, or {@code null} for plain {@code ws://}
     */
    public WebSocketHost(String host, List<PortSpec> listeners, Executor workers, ScheduledExecutorService timers,
            Limits limits, SslContextFactory.Server tls) {
        this.idleTimeout = limits.idleTimeout();
        int maxMessageBytes = limits.maxMessageBytes();
        this.gate = new ConnectionGate(limits.maxConnections(), limits.maxConnectionsPerAddress(),
                limits.handshakeTimeout(), timers);
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("demos-im-jetty");
        threads.setDaemon(true);
        jetty = new Server(threads);
        jetty.setStopTimeout(5_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        Map<String, PortSpec> byName = new LinkedHashMap<>();
        for (PortSpec l : listeners) {
            HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
            httpFactory.addEventListener(gate.handshakeDeadline()); // on HTTP connections only
            ServerConnector connector = tls == null ? new ServerConnector(jetty, 1, 1, httpFactory)
                    : new ServerConnector(jetty, 1, 1, new SslConnectionFactory(tls, "http/1.1"), httpFactory);
            connector.addBean(gate); // the connection caps, from accept to close
            // Until the upgrade, Jetty's own idle timeout: a silent half-open handshake goes at the deadline too.
            connector.setIdleTimeout(limits.handshakeTimeout().toMillis());
            connector.setName(l.name());
            connector.setHost(host);
            connector.setPort(l.port());
            jetty.addConnector(connector);
            connectors.put(l.name(), connector);
            connections.put(l.name(), new ConnectionSet());
            byName.put(l.name(), l);
        }
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        // A backstop only: the server's own pings reset Jetty's timer, so keepAlive() measures client silence.
        upgrade.getConfiguration().setIdleTimeout(idleTimeout.multipliedBy(2));
        // Single frames may be as large as whole messages; Endpoint enforces the message cap (1009).
        upgrade.getConfiguration().setMaxFrameSize(maxMessageBytes);
        upgrade.addMapping("/*", (request, response, callback) -> {
            PortSpec l = byName.get(connectorName(request));
            response.setExtensions(List.of()); // Bun runs without permessage-deflate; so do we
            return new Endpoint(l.handler(), l.name(), workers, connections.get(l.name()), maxMessageBytes,
                    limits.outgoing(), timers, limits.registrationTimeout());
        });
        upgrade.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                PortSpec l = byName.get(connectorName(request));
                response.setStatus(l.plainHttpStatus());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                Content.Sink.write(response, true, l.plainHttpBody(), callback);
                return true;
            }
        });
        jetty.setHandler(upgrade);
        pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demos-im-pinger");
            t.setDaemon(true);
            return t;
        });
    }

    private static String connectorName(Request request) {
        Connector c = request.getConnectionMetaData().getConnector();
        return c.getName();
    }

    /**
     * Binds the ports and starts serving.
     *
     * @throws Exception if a port cannot be bound
     */
    public void start() throws Exception {
        jetty.start();
        long pingMs = Math.max(100, idleTimeout.toMillis() / 3);
        pinger.scheduleWithFixedDelay(this::keepAlive, pingMs, pingMs, TimeUnit.MILLISECONDS);
        for (Map.Entry<String, ServerConnector> e : connectors.entrySet()) {
            LOG.log(System.Logger.Level.DEBUG, "{0} listening on port {1}", e.getKey(),
                    String.valueOf(e.getValue().getLocalPort()));
        }
    }

    private void keepAlive() {
        for (ConnectionSet set : connections.values()) {
            for (Connection c : set.snapshot()) {
                try {
                    c.keepAlive(idleTimeout.toNanos());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: ping failed: {1}", c, e);
                }
            }
        }
    }

    /**
     * Connections open now on both ports (TCP, whether upgraded or not).
     *
     * @return the count
     */
    public int openConnections() {
        return gate.openConnections();
    }

    /**
     * Connections refused by a connection cap since the start.
     *
     * @return the count
     */
    public long refusedConnections() {
        return gate.refused();
    }

    /**
     * The bound port of a protocol.
     *
     * @param name the protocol
     * @return the port, or -1 if the protocol is not served
     */
    public int port(String name) {
        ServerConnector c = connectors.get(name);
        return c == null ? -1 : c.getLocalPort();
    }

    /**
     * The open connections of a protocol.
     *
     * @param name the protocol
     * @return how many, 0 if the protocol is not served
     */
    public int connectionCount(String name) {
        ConnectionSet set = connections.get(name);
        return set == null ? 0 : set.size();
    }

    /**
     * Stops accepting connections, closes the open ones with 1001 (going away) and stops Jetty.
     */
    @Override
    public void close() {
        close(CloseStatus.SHUTDOWN, "server stopping");
    }

    /**
     * Stops accepting connections, closes the open ones with this code and stops Jetty.
     *
     * @param code the close code for open connections
     * @param reason its reason
     */
    public void close(int code, String reason) {
        pinger.shutdownNow();
        for (ServerConnector c : connectors.values()) {
            c.close(); // stop accepting first, so nobody connects while we close the rest
        }
        List<Connection> open = new ArrayList<>();
        connections.values().forEach(set -> open.addAll(set.snapshot()));
        for (Connection c : open) {
            c.close(code, reason);
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Jetty did not stop cleanly", e);
        }
    }
}
