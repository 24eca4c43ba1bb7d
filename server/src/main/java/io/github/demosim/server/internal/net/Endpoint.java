package io.github.demosim.server.internal.net;

import io.github.demosim.internal.concurrent.SerialExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One connection on Jetty's core WebSocket API (an interface Jetty calls directly, so it works on the module
 * path without exporting anything to Jetty). Aggregates fragmented messages, enforces the message size cap
 * (1009), keeps no byte of a message past the protocol's {@linkplain ProtocolHandler#contentLimit content limit}
 * (so a message refused for its size costs no memory), and demands frames explicitly: in ordered mode the next frame is read only after the current message
 * is handled, which gives per-connection ordering and TCP back-pressure at once; in unordered mode it reads on
 * at once and handles messages concurrently, as the reference does. In ordered mode the next frame is also
 * read only once a frame whose handler took a {@link Hold} is released, once the client has taken what it was
 * sent down to the resume mark (a client that does not read our replies is not read either), and only once the
 * connection's {@linkplain Connection#pace pace} allows (hardened flood control: a flood is slowed by TCP
 * back-pressure, never refused). A client that has not {@linkplain Connection#authenticated() registered} within
 * the registration timeout is closed with 1008. Pings are answered here, closes by Jetty.
 */
final class Endpoint implements FrameHandler {
    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());

    private final ProtocolHandler handler;
    private final String protocol;
    private final Executor workers;
    private final ConnectionSet connections;
    private final int maxMessageBytes;
    private final OutgoingBudget budget;
    private final ScheduledExecutorService timers;
    private final Duration registrationTimeout;
    private Executor executor;
    private CoreSession session;
    private Connection connection;
    /** Whether a message is being assembled from fragments. */
    private boolean inMessage;
    /** Its bytes so far, or {@code null} once it passed the protocol's content limit and is being discarded. */
    private ByteArrayOutputStream assembling;
    private byte assemblingOpCode;
    /** Its length so far, kept or not. */
    private long assembled;
    private long contentLimit;

    Endpoint(ProtocolHandler handler, String protocol, Executor workers, ConnectionSet connections,
            int maxMessageBytes, OutgoingBudget budget, ScheduledExecutorService timers, Duration registrationTimeout) {
        this.handler = handler;
        this.protocol = protocol;
        this.workers = workers;
        this.connections = connections;
        this.maxMessageBytes = maxMessageBytes;
        this.budget = budget;
        this.timers = timers;
        this.registrationTimeout = registrationTimeout;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        this.connection = new Connection(coreSession, protocol, budget, timers);
        SerialExecutor serial = handler.ordered()
                ? new SerialExecutor(workers, "A connection task failed; the connection's next tasks still run")
                : null;
        this.executor = serial != null ? serial : workers;
        connection.executor(task -> run(task, false), serial);
        connections.add(connection);
        connection.registrationDeadline(timers.schedule(this::registrationDeadline, registrationTimeout.toMillis(),
                TimeUnit.MILLISECONDS));
        LOG.log(System.Logger.Level.DEBUG, "{0} opened from {1}", connection, coreSession.getRemoteAddress());
        handler.onOpen(connection); // inline: it only sets up state, and must precede every frame
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        connection.heard();
        byte op = frame.getOpCode();
        if (op == OpCode.PING) {
            ByteBuffer payload = frame.getPayload();
            byte[] echo = new byte[payload == null ? 0 : payload.remaining()];
            if (payload != null) {
                payload.get(echo);
            }
            callback.succeeded();
            session.sendFrame(new Frame(OpCode.PONG).setPayload(echo), Callback.NOOP, false);
            session.demand();
            return;
        }
        if (OpCode.isControlFrame(op)) {
            callback.succeeded(); // a pong (the client is alive), or a close, which Jetty answers
            if (op != OpCode.CLOSE) {
                session.demand();
            }
            return;
        }
        if (op != OpCode.CONTINUATION) {
            inMessage = true;
            assemblingOpCode = op;
            assembled = 0;
            contentLimit = handler.contentLimit(op == OpCode.BINARY);
            assembling = new ByteArrayOutputStream((int) Math.min(Math.max(16, frame.getPayloadLength()),
                    Math.min(contentLimit, maxMessageBytes) + 1));
        } else if (!inMessage) {
            callback.succeeded(); // Jetty's parser rejects an orphan continuation before it gets here
            session.demand();
            return;
        }
        ByteBuffer payload = frame.getPayload();
        int length = payload == null ? 0 : payload.remaining();
        assembled += length;
        if (assembled > maxMessageBytes) {
            inMessage = false;
            assembling = null;
            callback.succeeded();
            LOG.log(System.Logger.Level.DEBUG, "{0}: message over {1} bytes, closing with 1009", connection,
                    String.valueOf(maxMessageBytes));
            session.close(CloseStatus.MESSAGE_TOO_LARGE, "Message too large", Callback.NOOP);
            return;
        }
        if (assembling != null && assembled > contentLimit) {
            // Refused for its length whatever it holds: drop what was kept and discard the rest as it comes.
            assembling = null;
        }
        if (assembling != null && length > 0) {
            byte[] bytes = new byte[length];
            payload.get(bytes);
            assembling.write(bytes, 0, length);
        }
        callback.succeeded();
        if (!frame.isFin()) {
            session.demand();
            return;
        }
        inMessage = false;
        if (assembling == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: message of {1} bytes over the protocol''s limit, not kept",
                    connection, String.valueOf(assembled));
            dispatch(() -> handler.onTooLarge(connection));
            return;
        }
        byte[] message = assembling.toByteArray();
        byte kind = assemblingOpCode;
        assembling = null;
        if (kind == OpCode.TEXT) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
            } catch (CharacterCodingException e) {
                session.close(CloseStatus.BAD_PAYLOAD, "Invalid UTF-8", Callback.NOOP); // RFC 6455 §8.1
                return;
            }
            dispatch(text, text.length());
        } else {
            // The reference coerces binary frames to a string; malformed UTF-8 becomes U+FFFD as in JavaScript.
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(message));
            dispatch(chars.toString(), message.length);
        }
    }

    private void dispatch(String text, int rawLength) {
        dispatch(() -> handler.onFrame(connection, text, rawLength));
    }

    private void dispatch(Runnable handling) {
        connection.chargePace();
        if (handler.ordered()) {
            run(handling, true);
        } else {
            run(handling, false);
            session.demand();
        }
    }

    private void registrationDeadline() {
        if (!connection.isAuthenticated() && connection.isOpen()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: not registered within {1} ms, closing", connection,
                    registrationTimeout.toMillis());
            connection.close(CloseStatus.POLICY_VIOLATION, "registration timeout: register within "
                    + registrationTimeout.toSeconds() + " s of connecting");
        }
    }

    /**
     * Runs a task for this connection; with {@code demandAfter}, demands the next frame once it is done: once
     * its hold (if it took one) is released and the client has read what it was sent down to the resume mark.
     */
    private void run(Runnable task, boolean demandAfter) {
        Runnable wrapped = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, connection + ": handler failed", e);
            } finally {
                if (demandAfter) {
                    Hold hold = connection.currentHold();
                    if (hold == null) {
                        readNext();
                    } else {
                        hold.onRelease(this::readNext);
                    }
                }
            }
        };
        try {
            executor.execute(wrapped);
        } catch (RejectedExecutionException e) {
            // The server is stopping: the frame is dropped with the connection.
            LOG.log(System.Logger.Level.DEBUG, "{0}: frame dropped during shutdown", connection);
        }
    }

    /** Reads the next frame once the client has taken what it was sent, and once the connection's pace allows. */
    private void readNext() {
        connection.whenDrained(this::demandPaced);
    }

    private void demandPaced() {
        if (session.isClosed()) {
            return;
        }
        long pause = connection.pauseNanos();
        if (pause <= 0) {
            session.demand();
            return;
        }
        try {
            timers.schedule(() -> {
                if (!session.isClosed()) {
                    session.demand();
                }
            }, pause, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: not reading on during shutdown", connection);
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: transport error: {1}", connection, String.valueOf(cause));
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        callback.succeeded();
        if (connection == null) {
            return;
        }
        connection.cancelRegistrationDeadline();
        connection.markClosed();
        connections.remove(connection);
        LOG.log(System.Logger.Level.DEBUG, "{0} closed: {1}", connection, closeStatus);
        run(() -> handler.onClose(connection, closeStatus.getCode()), false);
    }
}
