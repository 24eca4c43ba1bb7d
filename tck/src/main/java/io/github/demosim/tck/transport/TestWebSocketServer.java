package io.github.demosim.tck.transport;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * A Jetty 12 WebSocket server (core API) on 127.0.0.1 (ephemeral port) for the transport contract. Path {@code /echo}
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
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.getConfiguration().setMaxFrameSize(MAX_MESSAGE);
        upgrade.getConfiguration().setIdleTimeout(Duration.ofMinutes(5));
        upgrade.addMapping("/echo", (request, response, callback) ->
                new Endpoint(new Peer(true), tagOf(request.getHttpURI().getQuery())));
        upgrade.addMapping("/sink", (request, response, callback) ->
                new Endpoint(new Peer(false), tagOf(request.getHttpURI().getQuery())));
        server.setHandler(upgrade);
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

    /**
     * Jetty's core callbacks for one connection, handed to its {@link Peer}. The core API shows every frame, so the
     * close code the peer reports is the one in the client's close frame, whatever Jetty then makes of the end of
     * the TCP connection (a client that closes its socket right after the closing handshake can otherwise be
     * reported as 1006).
     */
    private final class Endpoint implements FrameHandler {
        private final Peer peer;
        private final String tag;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private byte messageOpCode;

        Endpoint(Peer peer, String tag) {
            this.peer = peer;
            this.tag = tag;
        }

        @Override
        public void onOpen(CoreSession opened, Callback callback) {
            peer.session = opened;
            callback.succeeded();
            opened.demand();
            if (tag == null) {
                peers.add(peer);
            } else {
                tagged.computeIfAbsent(tag, t -> new CompletableFuture<>()).complete(peer);
            }
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            byte op = frame.getOpCode();
            CoreSession session = peer.session;
            if (op == OpCode.CLOSE) {
                CloseStatus status = CloseStatus.getCloseStatus(frame);
                peer.closed(status.getCode(), status.getReason());
                callback.succeeded(); // Jetty answers the close
                return;
            }
            if (op == OpCode.PING) {
                byte[] payload = bytes(frame);
                callback.succeeded();
                session.sendFrame(new Frame(OpCode.PONG).setPayload(ByteBuffer.wrap(payload)), Callback.NOOP, false);
                session.demand();
                return;
            }
            if (op != OpCode.CONTINUATION && !OpCode.isControlFrame(op)) {
                message.reset();
                messageOpCode = op;
            }
            if (OpCode.isDataFrame(op)) {
                message.writeBytes(bytes(frame));
            }
            callback.succeeded();
            if (OpCode.isDataFrame(op) && frame.isFin() && messageOpCode == OpCode.TEXT) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(message.toByteArray())).toString();
                } catch (CharacterCodingException e) {
                    session.close(CloseStatus.BAD_PAYLOAD, "Invalid UTF-8", Callback.NOOP);
                    return;
                }
                message.reset();
                peer.received.add(text);
                if (peer.echo) {
                    peer.send(text);
                }
            }
            session.demand();
        }

        private byte[] bytes(Frame frame) {
            ByteBuffer payload = frame.getPayload();
            byte[] bytes = new byte[payload == null ? 0 : payload.remaining()];
            if (payload != null) {
                payload.get(bytes);
            }
            return bytes;
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            peer.closed(status.getCode(), status.getReason()); // no effect if a close frame came first
            callback.succeeded();
        }
    }

    /** The server side of one connection. */
    public static final class Peer {
        private final boolean echo;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private volatile String closeReason;
        private volatile CoreSession session;

        Peer(boolean echo) {
            this.echo = echo;
        }

        private synchronized void closed(int code, String reason) {
            if (!closeCode.isDone()) {
                closeReason = reason;
                closeCode.complete(code);
            }
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
            session.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
        }

        /**
         * Sends a binary frame.
         *
         * @param bytes the payload
         */
        public void sendBinary(byte[] bytes) {
            session.sendFrame(new Frame(OpCode.BINARY).setPayload(ByteBuffer.wrap(bytes)), Callback.NOOP, false);
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
            session.abort();
        }

        /**
         * Returns the close code this side saw when the connection ended: the code in the client's close frame, or
         * the code Jetty reports for a connection that ended without one (1006).
         *
         * @return the code
         */
        public CompletableFuture<Integer> closeCode() {
            return closeCode;
        }

        /**
         * Returns the close reason that came with {@link #closeCode()}, once it completed.
         *
         * @return the reason
         */
        public String closeReason() {
            return closeReason;
        }
    }
}
