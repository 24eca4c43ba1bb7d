package io.github.demosim.server.internal.net;

import io.github.demosim.server.internal.RateLimiter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One client's WebSocket connection, as the protocol handlers see it: send text, close, and a slot for the
 * protocol's per-connection state.
 */
public final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final CoreSession session;
    private final String protocol;
    private volatile Object state;
    private volatile Executor executor = Runnable::run;
    private volatile boolean closed;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean idleClosing;
    private volatile RateLimiter pace;

    Connection(CoreSession session, String protocol) {
        this.session = session;
        this.protocol = protocol;
    }

    /**
     * A number unique in this JVM, for logs.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * The protocol name ({@code l2ps} or {@code legacy}).
     *
     * @return the protocol
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Sends a text frame. Frames are written in the order of the calls.
     *
     * @param text the frame
     * @return completes when written, exceptionally if the connection is gone
     */
    public CompletableFuture<Void> send(String text) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || !session.isOutputOpen()) {
            done.completeExceptionally(new IllegalStateException("connection " + id + " is closed"));
            return done;
        }
        synchronized (this) {
            session.sendFrame(new Frame(OpCode.TEXT, text), Callback.from(() -> done.complete(null), failure -> {
                LOG.log(System.Logger.Level.DEBUG, "{0} connection {1}: send failed: {2}", protocol, id, failure);
                done.completeExceptionally(failure);
            }), false);
        }
        return done;
    }

    /**
     * Sends a text frame once the frame this connection is handling now has been answered (in ordered mode;
     * otherwise soon). For pushes that must not overtake a reply, such as a status change of a message whose
     * acknowledgement is being written.
     *
     * @param text the frame
     */
    public void sendAfterCurrent(String text) {
        executor.execute(() -> send(text));
    }

    /**
     * Paces this connection's messages (hardened flood control, set by the protocol when the connection opens):
     * each message read is charged, and in ordered mode the next one is read only once the pace allows, so a
     * client beyond it is slowed by TCP back-pressure instead of refused; nothing it sent is lost, and a flood
     * waits unread in its socket.
     *
     * @param pace the pace, or {@code null} for none
     */
    public void pace(RateLimiter pace) {
        this.pace = pace;
    }

    /** Gives back what the message being handled cost: the protocol found it free (an acknowledgement it owes). */
    public void refundPace() {
        RateLimiter p = pace;
        if (p != null) {
            p.refund();
        }
    }

    /** Charges a message just read. */
    void chargePace() {
        RateLimiter p = pace;
        if (p != null) {
            p.charge();
        }
    }

    /** How long to wait before reading the next message, in nanoseconds. */
    long pauseNanos() {
        RateLimiter p = pace;
        return p == null ? 0 : p.pauseNanos();
    }

    void executor(Executor executor) {
        this.executor = executor;
    }

    /** Records that the client sent something (a message, a ping or a pong). */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * The keep-alive round: closes the connection if the client has been silent for longer than the idle
     * timeout (pings unanswered), otherwise pings it. Pings count as traffic for Jetty's own idle timeout, so
     * silence is measured here, on what the client sends.
     */
    void keepAlive(long idleTimeoutNanos) {
        if (session.isClosed()) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > idleTimeoutNanos) {
            if (idleClosing) {
                session.abort(); // it did not answer the close either
            } else {
                idleClosing = true;
                LOG.log(System.Logger.Level.DEBUG, "{0} silent for longer than the idle timeout: closing", this);
                session.close(CloseStatus.SHUTDOWN, "idle timeout", Callback.NOOP);
            }
            return;
        }
        if (session.isOutputOpen()) {
            session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }

    /**
     * Closes like the reference's {@code ws.close()}: a close frame without a status code.
     */
    public void closePlain() {
        if (session.isOutputOpen()) {
            session.close(CloseStatus.NO_CODE, null, Callback.NOOP);
        }
    }

    /**
     * Closes with a status code and reason.
     *
     * @param code the status code
     * @param reason the reason, or {@code null}
     */
    public void close(int code, String reason) {
        if (session.isOutputOpen()) {
            session.close(code, reason, Callback.NOOP);
        }
    }

    /**
     * Whether the connection can still carry frames.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return !closed && session.isOutputOpen();
    }

    void markClosed() {
        closed = true;
    }

    /**
     * The protocol handler's state for this connection.
     *
     * @param <T> its type
     * @param type its class
     * @return the state, or {@code null} before the handler set one
     */
    public <T> T state(Class<T> type) {
        return type.cast(state);
    }

    /**
     * Sets the protocol handler's state for this connection.
     *
     * @param value the state
     */
    public void state(Object value) {
        this.state = value;
    }

    @Override
    public String toString() {
        return protocol + "#" + id;
    }
}
