package io.github.demosim.tck.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A Jetty 12 WebSocket server on 127.0.0.1 (ephemeral port) for the transport contract. Path {@code /echo}
 * echoes every text frame; {@code /sink} only records. Each accepted connection becomes a {@link Peer} the test
 * can take with {@link #nextPeer()} to push frames, close with a code, or drop the TCP connection.
 *
 * <p>Its threads are named {@code tck-…} so resource counts can leave them out.
 */
public final class TestWebSocketServer implements AutoCloseable {
    /** Large enough for the contract's 16 MiB frames in both directions. */
    private static final long MAX_MESSAGE = 64L * 1024 * 1024;
    private static final String TAG = "peer";

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    /** Connections opened on a {@link #uniqueUri} URI, by the tag in its query; filled by whichever side comes first. */
    private final ConcurrentMap<String, CompletableFuture<Peer>> tagged = new ConcurrentHashMap<>();
    private final AtomicLong tags = new AtomicLong();

    private TestWebSocketServer(KeyStore keyStore, String password) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("tck-jetty");
        threads.setDaemon(true);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("tck-jetty-scheduler", true);
        server = new Server(threads, scheduler, null);
        tls = keyStore != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(password);
            connector = new ServerConnector(server, ssl);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setMaxFrameSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/echo", (request, response, callback) ->
                    new Endpoint(new Peer(true), tagOf(request.getHttpURI().getQuery())));
            container.addMapping("/sink", (request, response, callback) ->
                    new Endpoint(new Peer(false), tagOf(request.getHttpURI().getQuery())));
        });
        context.setHandler(upgrade);
        server.setHandler(context);
        server.start();
    }

    /**
     * Starts a plain ({@code ws://}) server.
     *
     * @return the running server
     * @throws Exception if Jetty cannot start
     */
    public static TestWebSocketServer start() throws Exception {
        return new TestWebSocketServer(null, null);
    }

    /**
     * Starts a TLS ({@code wss://}) server with the key and certificate in {@code keyStore}.
     *
     * @param keyStore the server's key store
     * @param password its password
     * @return the running server
     * @throws Exception if Jetty cannot start
     */
    public static TestWebSocketServer startTls(KeyStore keyStore, String password) throws Exception {
        return new TestWebSocketServer(keyStore, password);
    }

    /**
     * Returns the URI of a path on this server.
     *
     * @param path {@code /echo} or {@code /sink}
     * @return e.g. {@code ws://127.0.0.1:41234/echo}
     */
    public URI uri(String path) {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /**
     * Returns a URI of a path on this server that no other connection uses, so that {@link #peer(URI)} finds the
     * server side of exactly the connection opened on it. Tests sharing a server use this rather than
     * {@link #nextPeer()}: Jetty may report a connection as open after its client has already seen it open and
     * closed it, so "the next connection" can be an earlier test's.
     *
     * @param path {@code /echo} or {@code /sink}
     * @return e.g. {@code ws://127.0.0.1:41234/echo?peer=7}
     */
    public URI uniqueUri(String path) {
        return URI.create(uri(path) + "?" + TAG + "=" + tags.incrementAndGet());
    }

    /**
     * Waits for the server side of the connection opened on a {@link #uniqueUri} URI.
     *
     * @param uniqueUri the URI the connection was opened on
     * @return the peer
     * @throws Exception if no such connection reached the server within 30 s, or on interrupt
     */
    public Peer peer(URI uniqueUri) throws Exception {
        String tag = tagOf(uniqueUri.getRawQuery());
        if (tag == null) {
            throw new IllegalArgumentException(uniqueUri + " was not made by uniqueUri(path)");
        }
        try {
            return tagged.computeIfAbsent(tag, t -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no connection on " + uniqueUri + " reached the test server within 30 s", e);
        } finally {
            tagged.remove(tag);
        }
    }

    private static String tagOf(String query) {
        return query != null && query.startsWith(TAG + "=") ? query.substring(TAG.length() + 1) : null;
    }

    /**
     * Waits for the server side of the next accepted connection on a URI from {@link #uri(String)}.
     *
     * @return the peer
     * @throws InterruptedException if interrupted
     */
    public Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(30, TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no connection reached the test server within 30 s");
        }
        return peer;
    }

    /** Forgets connections accepted so far (so {@link #nextPeer()} returns a later one). */
    public void forgetPeers() {
        peers.clear();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not stop", e);
        }
    }

    /** Jetty's callbacks for one connection, handed to its {@link Peer}; public because Jetty requires it. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final Peer peer;
        private final String tag;

        Endpoint(Peer peer, String tag) {
            this.peer = peer;
            this.tag = tag;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            peer.session = opened;
            if (tag == null) {
                peers.add(peer);
            } else {
                tagged.computeIfAbsent(tag, t -> new CompletableFuture<>()).complete(peer);
            }
        }

        @Override
        public void onWebSocketText(String text) {
            peer.received.add(text);
            if (peer.echo) {
                peer.session.sendText(text, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int code, String reason, Callback callback) {
            peer.closeReason = reason;
            peer.closeCode.complete(code);
            callback.succeed();
        }
    }

    /** The server side of one connection. */
    public static final class Peer {
        private final boolean echo;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private volatile String closeReason;
        private volatile Session session;

        Peer(boolean echo) {
            this.echo = echo;
        }

        /**
         * Returns the text frames this side received, in order.
         *
         * @return a live queue
         */
        public BlockingQueue<String> received() {
            return received;
        }

        /**
         * Sends a text frame.
         *
         * @param text the frame
         */
        public void send(String text) {
            session.sendText(text, Callback.NOOP);
        }

        /**
         * Sends a binary frame.
         *
         * @param bytes the payload
         */
        public void sendBinary(byte[] bytes) {
            session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
        }

        /**
         * Starts the closing handshake from the server.
         *
         * @param code the close code
         * @param reason the reason
         */
        public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }

        /** Drops the TCP connection without a close frame. */
        public void disconnect() {
            session.disconnect();
        }

        /**
         * Returns the close code this side saw, when the connection ends.
         *
         * @return the code
         */
        public CompletableFuture<Integer> closeCode() {
            return closeCode;
        }

        /**
         * Returns the close reason this side saw, once {@link #closeCode()} completed.
         *
         * @return the reason
         */
        public String closeReason() {
            return closeReason;
        }
    }
}
