package io.github.demosim.reliability.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * A WebSocket server on loopback (Jetty 12 core API) that plays a protocol server badly on purpose: it answers
 * what the test scripts automatically (registrations, so that a reconnecting peer gets back in), hands every
 * other client frame to the test, and sends whatever bytes the test wants, in text or binary frames, UTF-8 or not.
 */
public final class HostileServer implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;
    private final Function<String, String> autoReply;
    private final BlockingQueue<Conn> opened = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();

    private HostileServer(Function<String, String> autoReply) throws Exception {
        this.autoReply = autoReply;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("hostile-server");
        threads.setDaemon(true);
        jetty = new Server(threads);
        connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.getConfiguration().setIdleTimeout(Duration.ofMinutes(5));
        upgrade.getConfiguration().setMaxFrameSize(64L * 1024 * 1024);
        upgrade.addMapping("/*", (request, response, callback) -> {
            response.setExtensions(List.of());
            return new Conn();
        });
        jetty.setHandler(upgrade);
        jetty.start();
    }

    /**
     * Starts a server.
     *
     * @param autoReply for each text frame a client sends: the frame to answer with, or {@code null} to hand the
     *     client's frame to the test ({@link Conn#received()})
     * @return the running server
     */
    public static HostileServer start(Function<String, String> autoReply) {
        try {
            return new HostileServer(autoReply);
        } catch (Exception e) {
            throw new AssertionError("the hostile server did not start", e);
        }
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    /** How many connections were opened so far. */
    public int connections() {
        return connections.get();
    }

    /** The next connection opened (hang guard 20 s). */
    public Conn nextConnection() {
        try {
            Conn c = opened.poll(20, TimeUnit.SECONDS);
            if (c == null) {
                throw new AssertionError("no client connected within 20 s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new AssertionError("the hostile server did not stop", e);
        }
    }

    /** The server side of one connection. */
    public final class Conn implements FrameHandler {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        /** The bytes of the text message being received: decoded once whole, since a fragment may end mid-character. */
        private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        private volatile CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            connections.incrementAndGet();
            opened.add(this);
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            byte op = frame.getOpCode();
            if (op == OpCode.TEXT || op == OpCode.CONTINUATION) {
                ByteBuffer payload = frame.getPayload();
                if (payload != null) {
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    fragments.writeBytes(bytes);
                }
                if (frame.isFin()) {
                    String text = fragments.toString(StandardCharsets.UTF_8);
                    fragments.reset();
                    String reply = autoReply.apply(text);
                    if (reply != null) {
                        sendText(reply);
                    } else {
                        received.add(text);
                    }
                }
            } else if (op == OpCode.PING) {
                session.sendFrame(new Frame(OpCode.PONG).setPayload(frame.getPayload()), Callback.NOOP, false);
            }
            callback.succeeded();
            if (op != OpCode.CLOSE) {
                session.demand();
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            closed.complete(closeStatus.getCode());
            callback.succeeded();
        }

        /** The client frames not answered automatically, in order. */
        public BlockingQueue<String> received() {
            return received;
        }

        /** The next such frame (hang guard 20 s). */
        public String nextReceived() {
            try {
                String s = received.poll(20, TimeUnit.SECONDS);
                if (s == null) {
                    throw new AssertionError("the client sent nothing within 20 s");
                }
                return s;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** The close code, once the connection ended. */
        public CompletableFuture<Integer> closed() {
            return closed;
        }

        /** Sends a text frame. */
        public void sendText(String text) {
            send(OpCode.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends a frame with any payload, e.g. a text frame that is not UTF-8. */
        public void send(byte opcode, byte[] payload) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendFrame(new Frame(opcode).setPayload(ByteBuffer.wrap(payload)),
                    Callback.from(() -> done.complete(null), done::completeExceptionally), false);
            done.orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
