package io.github.demosim.server.internal.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The Jetty listener of one connection. It demands frames explicitly: in ordered mode the next frame is read
 * only after the current one is handled, which gives per-connection ordering and TCP back-pressure at once;
 * in unordered mode it reads on immediately and handles frames concurrently, as the reference does.
 */
public final class Endpoint implements Session.Listener {
    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());

    private final ProtocolHandler handler;
    private final String protocol;
    private final Executor workers;
    private final ConnectionSet connections;
    private Executor executor;
    private Session session;
    private Connection connection;

    Endpoint(ProtocolHandler handler, String protocol, Executor workers, ConnectionSet connections) {
        this.handler = handler;
        this.protocol = protocol;
        this.workers = workers;
        this.connections = connections;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.connection = new Connection(session, protocol);
        this.executor = handler.ordered() ? new SerialExecutor(workers) : workers;
        connection.executor(task -> run(task, false));
        connections.add(connection);
        LOG.log(System.Logger.Level.DEBUG, "{0} opened from {1}", connection, session.getRemoteSocketAddress());
        handler.onOpen(connection); // inline: it only sets up state, and must precede every frame
        session.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        connection.heard();
        dispatch(text, text.length());
    }

    /** Answers a client's ping (what Jetty would do by itself) and reads on. */
    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        connection.heard();
        session.sendPong(payload, Callback.NOOP);
        session.demand();
    }

    /** A pong answers the server's keep-alive ping: the client is alive. */
    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        connection.heard();
        session.demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        int length = payload.remaining();
        byte[] bytes = new byte[length];
        payload.get(bytes);
        callback.succeed();
        connection.heard();
        // The reference coerces binary frames to a string; malformed UTF-8 becomes U+FFFD as in JavaScript.
        dispatch(new String(bytes, StandardCharsets.UTF_8), length);
    }

    private void dispatch(String text, int rawLength) {
        if (handler.ordered()) {
            run(() -> handler.onFrame(connection, text, rawLength), true);
        } else {
            run(() -> handler.onFrame(connection, text, rawLength), false);
            session.demand();
        }
    }

    /** Runs a task for this connection; in ordered mode with {@code demandAfter}, demands the next frame after. */
    private void run(Runnable task, boolean demandAfter) {
        Runnable wrapped = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, connection + ": handler failed", e);
            } finally {
                if (demandAfter && session.isOpen()) {
                    session.demand();
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

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: transport error: {1}", connection, String.valueOf(cause));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        if (connection == null) {
            return;
        }
        connection.markClosed();
        connections.remove(connection);
        LOG.log(System.Logger.Level.DEBUG, "{0} closed: {1} {2}", connection, statusCode, reason);
        run(() -> handler.onClose(connection, statusCode), false);
    }
}
