package io.github.demosim.transport.jdk;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.internal.transport.Closing;
import io.github.demosim.internal.transport.ClosingSession;
import io.github.demosim.internal.transport.ConnectFailures;
import io.github.demosim.internal.transport.TransportTimer;
import io.github.demosim.spi.InboundDispatcher;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportSession;
import java.net.ProtocolException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * One connection on {@link WebSocket}: the shared client it runs on ({@link SharedClients}), its
 * {@link Outbound} queue, the reassembly of messages that arrive in parts ({@link Inbound}), and the
 * {@link InboundDispatcher} that delivers to the listener.
 *
 * <p>Flow control: the JDK reads a message only after {@code request(1)}; this session asks for the next one as
 * soon as the previous is handed to the dispatcher, whose buffer is bounded in frames and bytes. So nothing is
 * buffered without bound: the JDK holds one read buffer, the reassembly at most {@code maxFrameBytes}, the
 * dispatcher its bound.
 */
final class JdkWebSocketSession extends ClosingSession {
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final SharedClients.Lease lease;
    private final Outbound outbound;
    /** Completes on the client's thread; callers get {@link #connected}, completed off it. */
    private final CompletableFuture<TransportSession> opened = new CompletableFuture<>();
    private final CompletableFuture<TransportSession> connected = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile Runnable cancelConnectTimeout = () -> { };
    /** This side started the closing handshake: its code and reason are what the listener is told. */
    private volatile boolean closeStarted;
    private volatile int sentCode;
    private volatile String sentReason = "";

    private JdkWebSocketSession(TransportOptions options, TransportListener listener) {
        super(options, listener, "jdk");
        this.lease = SharedClients.acquire("wss".equalsIgnoreCase(options.uri().getScheme())
                ? options.sslContext() : null);
        this.outbound = new Outbound(this::notOpen);
    }

    static CompletableFuture<TransportSession> open(TransportOptions options, TransportListener listener) {
        JdkWebSocketSession session = new JdkWebSocketSession(options, listener);
        session.cancelConnectTimeout = TransportTimer.schedule(options.connectTimeout(), session::connectTimedOut);
        CompletableFuture<WebSocket> attempt;
        try {
            attempt = session.lease.client().newWebSocketBuilder().connectTimeout(options.connectTimeout())
                    .buildAsync(options.uri(), session.new Receiver());
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((ws, failure) -> {
            if (failure != null) {
                session.cancelConnectTimeout.run();
                session.failConnect(unwrap(failure));
            }
        });
        // The caller's dependent stages of an open session (where work is chained) must not run on the shared
        // selector thread, where a blocking one would stall every connection; a failure completes where it is
        // detected (the timer or the client's thread), without a thread of its own. Cancelling the caller's
        // future abandons the attempt.
        session.opened.whenComplete((s, failure) -> {
            if (failure != null) {
                session.connected.completeExceptionally(failure);
                return;
            }
            SharedClients.HANDOFF.execute(() -> {
                if (!session.connected.complete(s)) {
                    s.abort(); // cancelled meanwhile: nobody wants this connection
                }
            });
        });
        session.connected.whenComplete((s, failure) -> {
            if (session.connected.isCancelled()) {
                session.opened.cancel(false);
            }
        });
        return session.connected;
    }

    @Override
    public CompletableFuture<Void> sendText(String text) {
        Objects.requireNonNull(text, "text");
        if (dispatcher.isTerminated()) {
            return CompletableFuture.failedFuture(notOpen(null));
        }
        return outbound.text(text);
    }

    @Override
    public boolean isOpen() {
        WebSocket ws = socket;
        return ws != null && !ws.isOutputClosed() && !closeStarted && !dispatcher.isTerminated();
    }

    /**
     * Queues the close frame behind the frames already sent, and bounds the wait for the server's answer by the
     * connect timeout: a server that never answers does not keep the socket.
     */
    @Override
    protected void startClose(int code, String reason) {
        synchronized (this) {
            if (closeStarted) {
                return;
            }
            sentCode = code;
            sentReason = reason;
            closeStarted = true;
        }
        outbound.close(wireCode(code), reason);
        Closing.unlessClosedWithin(closed, options.connectTimeout(), () -> {
            dispatcher.closed(sentCode, sentReason, false);
            abortSocket();
        });
    }

    /**
     * The code the close frame carries. java.net.http refuses to let a client send 1002, 1003, 1007, 1009 and 1010
     * (it keeps them for its own protocol checks), so this transport sends 1008, policy violation, RFC 6455's
     * code "when there is no other more suitable status code", instead. The listener is told the code asked for.
     */
    static int wireCode(int code) {
        switch (code) {
            case 1002, 1003, 1007, 1009, 1010:
                return InboundDispatcher.POLICY_VIOLATION;
            default:
                return code;
        }
    }

    @Override
    protected void drop() {
        abortSocket();
    }

    /** Drops the TCP connection (the JDK calls no listener method after this) and ends the session. */
    private void abortSocket() {
        outbound.fail(notOpen(null));
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        finish();
    }

    private void finish() {
        closed.complete(null);
        lease.release();
    }

    private void connectTimedOut() {
        boolean timedOut;
        synchronized (this) {
            timedOut = opened.completeExceptionally(ConnectFailures.timedOut(options, null))
                    || opened.isCancelled();
            if (timedOut) {
                dispatcher.discard();
            }
        }
        if (timedOut) {
            abortSocket();
        }
    }

    private void failConnect(Throwable cause) {
        boolean failed;
        synchronized (this) {
            failed = opened.completeExceptionally(connectFailed(cause));
            if (failed) {
                dispatcher.discard();
            }
        }
        if (failed || opened.isCancelled()) { // cancelled by the caller: nobody else releases the client
            if (isBrokenClient(cause)) {
                lease.discardBrokenClient();
            }
            finish();
        }
    }

    /** The JDK's words for a client whose selector thread has ended: no connection will ever work on it. */
    private static boolean isBrokenClient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("selector manager closed")
                    || message.contains("HttpClientImpl shutdown"))) {
                return true;
            }
        }
        return false;
    }

    /** java.net.http's words for a failed connect, made the transports' common ones. */
    private TransportException connectFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpTimeoutException) { // incl. HttpConnectTimeoutException
                return ConnectFailures.timedOut(options, failure);
            } else if (t instanceof WebSocketHandshakeException handshake) {
                return ConnectFailures.httpStatus(options, handshake.getResponse().statusCode(), failure);
            }
        }
        return ConnectFailures.of(options, failure, null);
    }

    private TransportException notOpen(Throwable cause) {
        return Closing.notOpen(options.uri(), cause);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** What the dispatcher may ask of this connection; called on the transport timer thread. */
    private final class DispatcherHooks implements InboundDispatcher.Connection {
        @Override
        public void sendPing() {
            WebSocket ws = socket;
            if (ws != null) {
                ws.sendPing(PING.duplicate()); // a failure (a ping still pending) is left to the idle timeout
            }
        }

        @Override
        public void close(int code, String reason) {
            startClose(code, reason);
        }

        @Override
        public void abort() {
            abortSocket();
        }
    }

    /**
     * The JDK's callbacks, on the client's threads. Each hands its data on without blocking, then asks for the
     * next message. After this side failed the connection (a frame too large or not UTF-8) it reads on, ignoring
     * data, until the server answers the close frame.
     */
    private final class Receiver implements WebSocket.Listener {
        private final Inbound inbound = new Inbound(options.maxFrameBytes());
        private volatile boolean failed;

        @Override
        public void onOpen(WebSocket ws) {
            socket = ws;
            cancelConnectTimeout.run();
            outbound.open(ws);
            boolean start;
            synchronized (JdkWebSocketSession.this) {
                start = !opened.isDone();
                if (start) {
                    dispatcher.start(JdkWebSocketSession.this, new DispatcherHooks());
                }
            }
            if (!start || !opened.complete(JdkWebSocketSession.this)) {
                // the connect timed out or was cancelled meanwhile: nobody wants this connection
                abort();
                return;
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!failed) {
                try {
                    String text = inbound.text(data, last);
                    if (text != null) {
                        dispatcher.text(text);
                    }
                } catch (Inbound.TooLarge e) {
                    fail(tooLarge(), 1009, "frame larger than " + options.maxFrameBytes() + " bytes");
                } catch (OutOfMemoryError e) {
                    inbound.reset();
                    fail(outOfMemory(e), InboundDispatcher.POLICY_VIOLATION, "out of memory");
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (!failed) {
                try {
                    String text = inbound.binary(data, last);
                    if (text != null) {
                        dispatcher.text(text);
                    }
                } catch (Inbound.TooLarge e) {
                    fail(tooLarge(), 1009, "frame larger than " + options.maxFrameBytes() + " bytes");
                } catch (Inbound.NotUtf8 e) {
                    fail(Closing.binaryNotUtf8(options.uri(), e.getCause()), 1007,
                            "binary frame is not UTF-8");
                } catch (OutOfMemoryError e) {
                    inbound.reset();
                    fail(outOfMemory(e), InboundDispatcher.POLICY_VIOLATION, "out of memory");
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            dispatcher.activity(); // the JDK answers with a pong by itself
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            dispatcher.activity();
            ws.request(1);
            return null;
        }

        /**
         * The server's close frame (the JDK answers it with the same code after this returns, then closes the
         * TCP connection), or the end of the TCP connection without one (code 1006).
         */
        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (closeStarted) {
                dispatcher.closed(sentCode, sentReason, false);
            } else {
                dispatcher.closed(statusCode, reason, true);
            }
            outbound.fail(notOpen(null));
            finish();
            return null;
        }

        /**
         * The connection failed: an I/O error, or a protocol violation the JDK detected itself (then it has
         * dropped the TCP connection without sending a close frame, so the server sees 1006).
         */
        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (closeStarted) {
                dispatcher.closed(sentCode, sentReason, false);
            } else if (error instanceof ProtocolException) {
                boolean utf8 = String.valueOf(error.getCause()).contains("UTF-8");
                dispatcher.error(new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "The server at "
                        + options.uri() + " broke the WebSocket protocol (" + (error.getCause() != null
                        ? error.getCause().getMessage() : error.getMessage()) + "); the connection is closed"
                        + (utf8 ? " (1007: a text frame was not valid UTF-8)" : " (1002)") + ".", error));
                dispatcher.closed(utf8 ? 1007 : 1002, utf8 ? "text frame is not UTF-8" : "protocol error", false);
            } else {
                dispatcher.error(Closing.lost(options.uri(), error));
                dispatcher.closed(InboundDispatcher.ABNORMAL_CLOSE, String.valueOf(error.getMessage()), true);
            }
            outbound.fail(notOpen(error));
            finish();
        }

        /** Reports why this side fails the connection, then closes with {@code code} and reads on, ignoring data. */
        private void fail(TransportException why, int code, String reason) {
            failed = true;
            dispatcher.error(why);
            startClose(code, reason);
        }

        private TransportException tooLarge() {
            return Closing.frameTooLarge(options.uri(), options.maxFrameBytes());
        }

        private TransportException outOfMemory(OutOfMemoryError e) {
            return Closing.outOfMemory(options.uri(), e);
        }
    }
}
