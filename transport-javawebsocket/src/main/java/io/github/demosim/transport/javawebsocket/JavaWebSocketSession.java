package io.github.demosim.transport.javawebsocket;

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
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One connection on Java-WebSocket: its {@link WebSocketClient} (a reader and a writer thread), the socket it
 * opened, and the {@link InboundDispatcher} that delivers to the listener.
 */
final class JavaWebSocketSession extends ClosingSession {
    /** How Java-WebSocket's close reason for an upgrade answered with another status than 101 begins. */
    private static final String INVALID_STATUS = "Invalid status code received: ";
    private final Client client;
    private final CompletableFuture<TransportSession> opened = new CompletableFuture<>();
    private final Object socketLock = new Object();
    /** Held while a frame is framed and queued, and when this side starts closing. */
    private final Object sendLock = new Object();
    private final MaskedTextFrames frames = new MaskedTextFrames();
    private Socket socket;
    private boolean abandoned;
    private volatile Throwable connectError;
    /** This side started the closing handshake (its close frame went or goes first). */
    private volatile boolean closeStarted;
    private volatile Runnable cancelConnectTimeout = () -> { };

    private JavaWebSocketSession(TransportOptions options, TransportListener listener) {
        super(options, listener, "java-websocket");
        this.client = new Client(options.uri(), options.maxFrameBytes(),
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
        client.setConnectionLostTimeout(0); // the dispatcher pings and detects dead peers
        client.setDaemon(true);
        client.setTcpNoDelay(true);
        SocketFactory sockets = SocketFactory.getDefault();
        if ("wss".equalsIgnoreCase(options.uri().getScheme())) {
            SSLContext context = options.sslContext();
            sockets = context != null ? context.getSocketFactory() : SSLSocketFactory.getDefault();
        }
        client.setSocketFactory(new RecordingSocketFactory(sockets, this::socketCreated));
    }

    static CompletableFuture<TransportSession> open(TransportOptions options, TransportListener listener) {
        JavaWebSocketSession session = new JavaWebSocketSession(options, listener);
        session.cancelConnectTimeout = TransportTimer.schedule(options.connectTimeout(), session::connectTimedOut);
        try {
            session.client.connect();
        } catch (RuntimeException e) {
            session.cancelConnectTimeout.run();
            session.failConnect(e, null);
        }
        return session.opened;
    }

    /**
     * Frames the text itself ({@link MaskedTextFrames}) and queues it for Java-WebSocket's writer thread, as
     * Java-WebSocket's own {@code send} does, without its byte-wise masking and its check of the UTF-8 it has just
     * encoded. The send lock orders frames and keeps any behind this side's close frame out.
     */
    @Override
    public CompletableFuture<Void> sendText(String text) {
        Objects.requireNonNull(text, "text");
        if (!dispatcher.isTerminated()) {
            WebSocketImpl connection = (WebSocketImpl) client.getConnection();
            synchronized (sendLock) {
                if (!closeStarted && connection.getReadyState() == ReadyState.OPEN) {
                    connection.outQueue.add(ByteBuffer.wrap(frames.frame(text)));
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
        return CompletableFuture.failedFuture(Closing.notOpen(options.uri(), null));
    }

    @Override
    public boolean isOpen() {
        return client.isOpen() && !dispatcher.isTerminated();
    }

    @Override
    protected void drop() {
        closeSocket(); // the reader's own report of the end comes after, ignored
    }

    @Override
    protected void startClose(int code, String reason) {
        synchronized (sendLock) {
            closeStarted = true;
        }
        client.close(code, reason);
        // A peer that never answers the close frame must not keep the socket open.
        Closing.unlessClosedWithin(closed, options.connectTimeout(), this::closeSocket);
    }

    private void socketCreated(Socket created) {
        synchronized (socketLock) {
            socket = created;
            if (!abandoned) {
                return;
            }
        }
        closeQuietly(created);
    }

    private void closeSocket() {
        Socket current;
        synchronized (socketLock) {
            abandoned = true;
            current = socket;
        }
        if (current != null) {
            closeQuietly(current);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is all we wanted; the reader reports the end of the connection
        }
    }

    private void connectTimedOut() {
        if (opened.completeExceptionally(ConnectFailures.timedOut(options, null)) || opened.isCancelled()) {
            dispatcher.discard();
            closeSocket();
        }
    }

    private void failConnect(Throwable cause, String reason) {
        closeSocket(); // first: connectFailed looks at the closed socket's TLS session
        if (opened.completeExceptionally(connectFailed(cause, reason))) {
            dispatcher.discard();
        }
    }

    /**
     * Java-WebSocket's words for a failed connect, made the transports' common ones. It reports a refused upgrade
     * only as a close reason, with the status in it; and a failed TLS handshake often not at all (its writer and
     * reader threads race to the handshake, and the one that loses ends the connection with no error): the
     * socket's session then has no cipher suite.
     */
    private TransportException connectFailed(Throwable cause, String reason) {
        if (cause == null && reason != null && reason.startsWith(INVALID_STATUS)) {
            Matcher status = Pattern.compile("\\d{3}").matcher(reason.substring(INVALID_STATUS.length()));
            if (status.lookingAt()) {
                return ConnectFailures.httpStatus(options, Integer.parseInt(status.group()), null);
            }
        }
        Socket current;
        synchronized (socketLock) {
            current = socket;
        }
        if (cause == null && current instanceof SSLSocket tls
                && "SSL_NULL_WITH_NULL_NULL".equals(tls.getSession().getCipherSuite())) {
            return ConnectFailures.tls(options, null);
        }
        return ConnectFailures.of(options, cause, reason);
    }

    /** What the dispatcher may ask of this connection; called on the transport timer thread. */
    private final class DispatcherHooks implements InboundDispatcher.Connection {
        @Override
        public void sendPing() {
            client.sendPing();
        }

        @Override
        public void close(int code, String reason) {
            startClose(code, reason);
        }

        @Override
        public void abort() {
            closeSocket();
        }
    }

    /** Java-WebSocket's callbacks, on its reader thread: handed on without blocking. */
    private final class Client extends WebSocketClient {

        Client(URI uri, int maxFrameBytes, int connectTimeoutMillis) {
            super(uri, new Draft_6455(List.of(), maxFrameBytes), null, connectTimeoutMillis);
        }

        @Override
        protected void onSetSSLParameters(SSLParameters parameters) {
            super.onSetSSLParameters(parameters); // host name verification
            String host = options.uri().getHost();
            if (host != null && !host.contains(":") && !host.matches("[0-9.]+")) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
        }

        /**
         * Java-WebSocket's reader loop catches only runtime exceptions: an {@link OutOfMemoryError} while reading
         * ended the thread silently and left the connection open and unreported. It is reported here instead, the
         * close frame goes out (1008) on the writer thread, and the socket is closed shortly after, since no reader
         * is left to wait for the server's answer.
         */
        @Override
        public void run() {
            try {
                super.run();
            } catch (OutOfMemoryError e) {
                dispatcher.error(Closing.outOfMemory(options.uri(), e));
                closeStarted = true;
                try {
                    close(InboundDispatcher.POLICY_VIOLATION, "out of memory");
                } catch (RuntimeException | Error ignored) {
                    // the socket is closed below either way
                }
                TransportTimer.schedule(Duration.ofSeconds(1), () -> {
                    closeSocket();
                    dispatcher.closed(InboundDispatcher.POLICY_VIOLATION, "out of memory", false);
                    closed.complete(null);
                });
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            cancelConnectTimeout.run();
            if (opened.complete(JavaWebSocketSession.this)) {
                dispatcher.start(JavaWebSocketSession.this, new DispatcherHooks());
            } else {
                closeSocket(); // the connect timed out meanwhile: nobody wants this connection
            }
        }

        @Override
        public void onMessage(String message) {
            dispatcher.text(message);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            try {
                dispatcher.text(BinaryFrames.text(bytes));
            } catch (CharacterCodingException e) {
                dispatcher.error(Closing.binaryNotUtf8(options.uri(), e));
                // On the timer thread, like every close this side starts (the reader goes on reading: isClosing).
                TransportTimer.schedule(Duration.ZERO, () -> startClose(1007, "binary frame is not UTF-8"));
            }
        }

        /**
         * Always {@code false}, so that the reader thread reads on until the server ends the closing handshake by
         * closing the TCP connection. Java-WebSocket's reader loop stops as soon as a close has started
         * ({@code while (!isClosing() && ...)}) and then interrupts its writer and closes the socket: its writer,
         * interrupted before it took the close frame from its queue, or the server's reply, arriving at a socket
         * already closed (a reset), left the server with no close frame, so it saw 1006 instead of this side's
         * code. While closing, Java-WebSocket ignores what it reads; {@link #onClosing} bounds the wait for a server
         * that never closes.
         */
        @Override
        public boolean isClosing() {
            return false;
        }

        /**
         * Every close, whoever started it (the server, this side, or Java-WebSocket for a bad frame): the server
         * closes the TCP connection next, and one that does not must not keep the socket open.
         */
        @Override
        public void onClosing(int code, String reason, boolean remote) {
            Closing.unlessClosedWithin(closed, options.connectTimeout(), JavaWebSocketSession.this::closeSocket);
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            dispatcher.activity();
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata frame) {
            dispatcher.activity();
            super.onWebsocketPing(conn, frame);
        }

        @Override
        public void onError(Exception ex) {
            if (!opened.isDone()) {
                if (connectError == null) {
                    connectError = ex;
                }
            } else if (!opened.isCompletedExceptionally()) {
                dispatcher.error(Closing.lost(options.uri(), ex));
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            cancelConnectTimeout.run();
            if (!opened.isDone()) {
                failConnect(connectError, reason);
            } else if (!opened.isCompletedExceptionally()) {
                // Java-WebSocket calls the server's answer to this side's close frame "remote" when it reads it
                // while its state changes from open to closing: the close was still this side's.
                dispatcher.closed(code, reason, remote && !closeStarted);
            }
            closed.complete(null);
        }
    }
}
