package io.github.demosim.transport.tyrus;

import io.github.demosim.TransportException;
import io.github.demosim.internal.transport.BinaryFrames;
import io.github.demosim.internal.transport.Closing;
import io.github.demosim.internal.transport.ClosingSession;
import io.github.demosim.internal.transport.ConnectFailures;
import io.github.demosim.internal.transport.TransportTimer;
import io.github.demosim.spi.InboundDispatcher;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportSession;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.core.HandshakeException;
import io.github.demosim.transport.tyrus.grizzly.AbortableGrizzlyContainer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.tyrus.spi.ClientEngine;

/**
 * One connection on Tyrus: its own {@link ClientManager} (so its Grizzly transport and executors end with it),
 * the Tyrus {@link Session}, and the {@link InboundDispatcher} that delivers to the listener.
 */
final class TyrusTransportSession extends ClosingSession {
    /** Room for a frame header and for the start of the next frame read together with a maximal frame. */
    private static final int INCOMING_BUFFER_SLACK = 1024 * 1024;
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final ClientManager manager;
    private final CompletableFuture<TransportSession> opened = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private volatile Session session;
    private volatile boolean closeRequested;
    private final AtomicReference<ClientEngine.TimeoutHandler> abandon = new AtomicReference<>();
    private volatile Thread connector;
    private volatile Runnable cancelConnectTimeout = () -> { };
    private final long connectStarted = System.nanoTime();

    private TyrusTransportSession(TransportOptions options, TransportListener listener) {
        super(options, listener, "tyrus");
        // Named directly (the Grizzly container, wrapped so a connect can be abandoned), not looked up through
        // jakarta.websocket.ContainerProvider: a missing container is then a linkage error here, not an obscure one.
        this.manager = ClientManager.createClient(AbortableGrizzlyContainer.class.getName());
        manager.getProperties().put(AbortableGrizzlyContainer.TIMEOUT_HANDLER, abandon);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        manager.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, timeoutMillis);
        manager.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE,
                (int) Math.min(Integer.MAX_VALUE, (long) options.maxFrameBytes() + INCOMING_BUFFER_SLACK));
        manager.getProperties().put(ClientProperties.SHARED_CONTAINER, false);
        manager.setDefaultMaxTextMessageBufferSize(options.maxFrameBytes());
        manager.setDefaultMaxBinaryMessageBufferSize(options.maxFrameBytes());
    }

    static CompletableFuture<TransportSession> open(TransportOptions options, TransportListener listener) {
        TyrusTransportSession transport = new TyrusTransportSession(options, listener);
        ClientEndpointConfig config;
        try {
            config = transport.endpointConfig();
        } catch (NoSuchAlgorithmException e) {
            transport.failConnect(e);
            return transport.opened;
        }
        transport.cancelConnectTimeout = TransportTimer.schedule(options.connectTimeout(),
                transport::connectTimedOut);
        // Tyrus connects synchronously; this short-lived thread waits for it so the caller never does.
        Thread connector = new Thread(() -> transport.connect(config), "demos-im-tyrus-connect-" + options.uri());
        connector.setDaemon(true);
        transport.connector = connector;
        connector.start();
        return transport.opened;
    }

    private ClientEndpointConfig endpointConfig() throws NoSuchAlgorithmException {
        ClientEndpointConfig.Builder builder = ClientEndpointConfig.Builder.create();
        if ("wss".equalsIgnoreCase(options.uri().getScheme())) {
            SSLContext context = options.sslContext();
            builder.sslContext(context != null ? context : SSLContext.getDefault());
        }
        return builder.build();
    }

    private void connect(ClientEndpointConfig config) {
        try {
            manager.connectToServer(new TyrusEndpoint(), config, options.uri());
        } catch (DeploymentException | IOException | RuntimeException e) {
            cancelConnectTimeout.run();
            failConnect(e);
        }
    }

    @Override
    public CompletableFuture<Void> sendText(String text) {
        Objects.requireNonNull(text, "text");
        Session current = session;
        if (current == null || dispatcher.isTerminated() || !current.isOpen()) {
            return CompletableFuture.failedFuture(notOpen(null));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            // Tyrus frames and queues under this lock, so concurrent sends go out whole and in call order.
            synchronized (sendLock) {
                current.getAsyncRemote().sendText(text, (SendResult result) -> {
                    if (result.isOK()) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(notOpen(result.getException()));
                    }
                });
            }
        } catch (RuntimeException e) {
            sent.completeExceptionally(notOpen(e));
        }
        return sent;
    }

    @Override
    public boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen() && !dispatcher.isTerminated();
    }

    @Override
    protected void startClose(int code, String reason) {
        closeRequested = true;
        closeSession(code, reason);
    }

    @Override
    protected void drop() {
        closeRequested = true;
        abortSession("aborted");
    }

    /** Tyrus sends the close frame, reports the close at once and then shuts the connection's transport down. */
    private void closeSession(int code, String reason) {
        Session current = session;
        if (current == null) {
            return;
        }
        try {
            current.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            dispatcher.error(lost(e));
            dispatcher.closed(InboundDispatcher.ABNORMAL_CLOSE, "close failed", false);
            closed.complete(null);
        }
    }

    /**
     * Tyrus has no abort: it always sends a close frame (code 1001 here, as 1006 cannot be sent) but neither
     * waits for the answer nor keeps the socket: the connection's Grizzly transport is shut down right after.
     */
    private void abortSession(String reason) {
        closeSession(CloseReason.CloseCodes.GOING_AWAY.getCode(), reason);
    }

    private void connectTimedOut() {
        if (opened.completeExceptionally(ConnectFailures.timedOut(options, null)) || opened.isCancelled()) {
            dispatcher.discard();
            abandonConnect();
        }
    }

    /**
     * Shuts the attempt's Grizzly transport down until the connecting thread has given up; repeated because
     * the transport may not exist yet when the deadline passes.
     */
    private void abandonConnect() {
        Thread thread = connector;
        if (thread == null || !thread.isAlive()) {
            return;
        }
        ClientEngine.TimeoutHandler handler = abandon.get();
        if (handler != null) {
            handler.handleTimeout();
        }
        TransportTimer.schedule(Duration.ofMillis(50), this::abandonConnect);
    }

    private void failConnect(Throwable cause) {
        if (opened.completeExceptionally(connectFailed(cause))) {
            dispatcher.discard();
        }
    }

    /**
     * Tyrus's words for a failed connect, made the transports' common ones: a status on the upgrade is in a
     * {@link HandshakeException}, and its own handshake timeout (the same as the connect timeout, started a
     * little later) may fire before this transport's deadline.
     */
    private TransportException connectFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HandshakeException handshake && handshake.getHttpStatusCode() != 101) {
                return ConnectFailures.httpStatus(options, handshake.getHttpStatusCode(), failure);
            }
        }
        if (failure instanceof DeploymentException && failure.getCause() == null
                && System.nanoTime() - connectStarted >= options.connectTimeout().toNanos()) {
            return ConnectFailures.timedOut(options, failure);
        }
        return ConnectFailures.of(options, failure, null);
    }

    private TransportException notOpen(Throwable cause) {
        return Closing.notOpen(options.uri(), cause);
    }

    private TransportException lost(Throwable cause) {
        return Closing.lost(options.uri(), cause);
    }

    /** The UTF-8 length of {@code text}, without encoding it. */
    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** What the dispatcher may ask of this connection; called on the transport timer thread. */
    private final class DispatcherHooks implements InboundDispatcher.Connection {
        @Override
        public void sendPing() {
            Session current = session;
            try {
                current.getAsyncRemote().sendPing(PING.duplicate());
            } catch (IOException e) {
                // the idle timeout detects a connection that cannot carry pings
            }
        }

        @Override
        public void close(int code, String reason) {
            closeRequested = true;
            closeSession(code, reason);
        }

        @Override
        public void abort() {
            closeRequested = true;
            abortSession("peer not answering");
        }
    }

    /** Tyrus's callbacks, on Grizzly's threads: handed on without blocking. */
    private final class TyrusEndpoint extends Endpoint {

        @Override
        public void onOpen(Session opening, EndpointConfig config) {
            cancelConnectTimeout.run();
            session = opening;
            opening.addMessageHandler(String.class, this::text);
            opening.addMessageHandler(ByteBuffer.class, this::binary);
            opening.addMessageHandler(PongMessage.class, pong -> dispatcher.activity());
            if (opened.complete(TyrusTransportSession.this)) {
                dispatcher.start(TyrusTransportSession.this, new DispatcherHooks());
            } else {
                closeRequested = true; // the connect timed out meanwhile: nobody wants this connection
                closeSession(CloseReason.CloseCodes.GOING_AWAY.getCode(), "connect timed out");
            }
        }

        private void text(String text) {
            try {
                // 3 bytes per char at most: the exact count (a pass over the text) only when that may be over
                if (3L * text.length() > options.maxFrameBytes() && utf8Length(text) > options.maxFrameBytes()) {
                    tooLarge();
                } else {
                    dispatcher.text(text);
                }
            } catch (OutOfMemoryError e) {
                outOfMemory(e);
            }
        }

        /** Reported and closed with 1008 rather than left to Grizzly's worker, which would drop it unreported. */
        private void outOfMemory(OutOfMemoryError e) {
            dispatcher.error(Closing.outOfMemory(options.uri(), e));
            closeRequested = true;
            closeSession(InboundDispatcher.POLICY_VIOLATION, "out of memory");
        }

        /**
         * Tyrus enforces its message size limits only on fragmented messages; a single frame is limited only by
         * its read buffer, which must leave room to spare. So the exact limit is checked here.
         */
        private void tooLarge() {
            dispatcher.error(Closing.frameTooLarge(options.uri(), options.maxFrameBytes()));
            closeRequested = true;
            closeSession(CloseReason.CloseCodes.TOO_BIG.getCode(), "frame larger than " + options.maxFrameBytes()
                    + " bytes");
        }

        private void binary(ByteBuffer bytes) {
            if (bytes.remaining() > options.maxFrameBytes()) {
                tooLarge();
                return;
            }
            try {
                binaryText(bytes);
            } catch (OutOfMemoryError e) {
                outOfMemory(e);
            }
        }

        private void binaryText(ByteBuffer bytes) {
            try {
                dispatcher.text(BinaryFrames.text(bytes));
            } catch (CharacterCodingException e) {
                dispatcher.error(Closing.binaryNotUtf8(options.uri(), e));
                closeRequested = true;
                closeSession(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "binary frame is not UTF-8");
            }
        }

        @Override
        public void onError(Session failing, Throwable error) {
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                if (error instanceof OutOfMemoryError oom) {
                    outOfMemory(oom);
                } else {
                    dispatcher.error(lost(error));
                }
            }
        }

        @Override
        public void onClose(Session closing, CloseReason reason) {
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                int code = reason.getCloseCode().getCode();
                // Tyrus does not say who closed: this side did if it asked to, or if Tyrus refused a frame.
                boolean local = closeRequested || code == CloseReason.CloseCodes.TOO_BIG.getCode();
                dispatcher.closed(code, reason.getReasonPhrase(), !local);
            }
            closed.complete(null);
        }
    }
}
