package io.github.demosim.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A plain Jetty 12 WebSocket endpoint on 127.0.0.1 that sends every text frame straight back, on the Jetty
 * thread that read it: no codec, no protocol, no database. Its thread pool and connector are set up like
 * {@code DemosImServer}'s, so what a client measures against it is the floor under the end-to-end figure.
 *
 * <p>{@link #main} runs one for other processes (the Node.js side of {@code compare-ts.sh}): it prints
 * {@code ws://127.0.0.1:<port>/} and serves until stdin closes.
 */
public final class EchoServer implements AutoCloseable {
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final Server jetty;
    private final ServerConnector connector;

    private EchoServer() throws Exception {
        Quiet.logs();
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("bench-echo");
        threads.setDaemon(true);
        jetty = new Server(threads);
        connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(MAX_FRAME);
            container.setMaxFrameSize(MAX_FRAME);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping("/*", (request, response, callback) -> {
                response.setExtensions(List.of()); // no permessage-deflate, like DemosImServer and the reference
                return new Echo();
            });
        }));
        jetty.start();
    }

    /**
     * Starts an echo server on an ephemeral loopback port.
     *
     * @return the running server
     * @throws Exception if Jetty cannot start
     */
    public static EchoServer start() throws Exception {
        return new EchoServer();
    }

    /**
     * The URI clients connect to.
     *
     * @return {@code ws://127.0.0.1:<port>/}
     */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }

    /**
     * Echoes text frames; reads the next frame as soon as the echo is queued (Jetty keeps the order). Public:
     * Jetty calls it reflectively.
     */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a client that closes without a close handshake; nothing to clean up
        }

        @Override
        public void onWebSocketText(String text) {
            session.sendText(text, Callback.NOOP);
        }
    }

    /**
     * Serves until stdin is closed.
     *
     * @param args none
     * @throws Exception if Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        try (EchoServer server = start()) {
            System.out.println(server.uri());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin
            }
        }
    }
}
