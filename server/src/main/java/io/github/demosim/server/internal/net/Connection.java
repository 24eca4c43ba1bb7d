package io.github.demosim.server.internal.net;

import io.github.demosim.internal.concurrent.SerialExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One client's WebSocket connection, as the protocol handlers see it: send text, close, hold the current frame
 * open, and a slot for the protocol's per-connection state.
 *
 * <p>What is written and not yet taken by the client's socket is counted in bytes against the
 * {@link OutgoingBudget}; a frame beyond it closes the connection with {@value #SLOW_READER_CLOSE} (the client
 * does not read), and the connection is dropped if the close itself cannot be written within
 * {@value #SLOW_READER_ABORT_MS} ms.
 */
public final class Connection {
    /** The close code for a client that does not read what it is sent. */
    public static final int SLOW_READER_CLOSE = CloseStatus.POLICY_VIOLATION;
    /** How long the close of a slow reader may take before its socket is dropped. */
    static final long SLOW_READER_ABORT_MS = 2_000;

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final CoreSession session;
    private final String protocol;
    private final OutgoingBudget budget;
    private final ScheduledExecutorService timers;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile Object state;
    private volatile Executor executor = Runnable::run;
    private volatile SerialExecutor serial;
    private volatile boolean closed;
    private volatile boolean authenticated;
    /** The registration deadline while it runs; {@code null} once registered or closed. */
    private volatile ScheduledFuture<?> registrationDeadline;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean idleClosing;
    /** Runs once what is pending falls to the resume mark (the ordered read loop waiting for a slow reader). */
    private Runnable whenDrained;
    private volatile Pace pace;

    Connection(CoreSession session, String protocol, OutgoingBudget budget, ScheduledExecutorService timers) {
        this.session = session;
        this.protocol = protocol;
        this.budget = budget;
        this.timers = timers;
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
     * The client's address.
     *
     * @return the address, or {@code null} if unknown
     */
    public InetAddress remoteAddress() {
        return session.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /**
     * Sends a text frame. Frames are written in the order of the calls.
     *
     * @param text the frame
     * @return completes when written, exceptionally if the connection is gone or the frame is over the
     *     outgoing budget (then the connection is being closed as a slow reader)
     */
    public CompletableFuture<Void> send(String text) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || !session.isOutputOpen()) {
            done.completeExceptionally(new IllegalStateException("connection " + id + " is closed"));
            return done;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        if (!budget.reserve(pending, n)) {
            slowReader(n);
            done.completeExceptionally(new IllegalStateException("connection " + id + " does not read: "
                    + pending.get() + " bytes still pending"));
            return done;
        }
        synchronized (this) {
            session.sendFrame(new Frame(OpCode.TEXT).setPayload(ByteBuffer.wrap(bytes)), Callback.from(() -> {
                written(n);
                done.complete(null);
            }, failure -> {
                written(n);
                LOG.log(System.Logger.Level.DEBUG, "{0} connection {1}: send failed: {2}", protocol,
                        String.valueOf(id), failure);
                done.completeExceptionally(failure);
            }), false);
        }
        return done;
    }

    private void written(int n) {
        long left = budget.release(pending, n);
        Runnable resume = null;
        if (left <= resumeMark()) {
            synchronized (this) {
                resume = whenDrained;
                whenDrained = null;
            }
        }
        if (resume != null) {
            resume.run();
        }
    }

    private long resumeMark() {
        return budget.perConnection() / 2;
    }

    /** Runs {@code action} now if little is pending, else once the client has read down to the resume mark. */
    void whenDrained(Runnable action) {
        synchronized (this) {
            if (pending.get() > resumeMark() && !closed) {
                whenDrained = action;
                return;
            }
        }
        action.run();
    }

    private void slowReader(int refused) {
        if (!overflowed.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, this + ": " + pending.get() + " bytes pending and a frame of " + refused
                + " more: the client does not read; closing with " + SLOW_READER_CLOSE);
        session.close(SLOW_READER_CLOSE, "outgoing buffer full: the client does not read", Callback.NOOP);
        // The close frame waits behind what the client does not read: unless the close is done by then, the socket
        // is dropped (Jetty counts a session whose close frame is queued as closed, so do not ask it).
        timers.schedule(() -> {
            if (!closed) {
                session.abort();
            }
        }, SLOW_READER_ABORT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Bytes written to this connection and not yet taken by the client's socket.
     *
     * @return the count
     */
    public long pendingBytes() {
        return pending.get();
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
     * Paces this connection's messages (hardened flood control, set by the protocol when the connection opens;
     * see {@link Pace}).
     *
     * @param pace the pace, or {@code null} for none
     */
    public void pace(Pace pace) {
        this.pace = pace;
    }

    /** Gives back what the message being handled cost: the protocol found it free (an acknowledgement it owes). */
    public void refundPace() {
        Pace p = pace;
        if (p != null) {
            p.refund();
        }
    }

    /** Charges a message just read. */
    void chargePace() {
        Pace p = pace;
        if (p != null) {
            p.charge();
        }
    }

    /** How long to wait before reading the next message, in nanoseconds. */
    long pauseNanos() {
        Pace p = pace;
        return p == null ? 0 : p.pauseNanos();
    }

    /**
     * Keeps the frame being handled open after its handler returns (ordered mode; in unordered mode frames are
     * independent and this holds nothing). Call from the handler; the connection reads its next frame only once
     * the hold is released.
     *
     * @return the hold, to release exactly when the frame is answered
     */
    public Hold hold() {
        SerialExecutor s = serial;
        return s == null ? Hold.NONE : new Hold(s.hold());
    }

    /** The hold the current task took, or {@code null}. */
    Hold currentHold() {
        SerialExecutor s = serial;
        SerialExecutor.Hold held = s == null ? null : s.current();
        return held == null ? null : new Hold(held);
    }

    void executor(Executor executor, SerialExecutor serial) {
        this.executor = executor;
        this.serial = serial;
    }

    /**
     * Records that the client proved an identity (registered), which lifts the registration deadline.
     */
    public void authenticated() {
        authenticated = true;
        cancelRegistrationDeadline();
    }

    void registrationDeadline(ScheduledFuture<?> deadline) {
        this.registrationDeadline = deadline;
    }

    /**
     * Cancels the registration deadline: a pending timer task costs about 110 bytes a connection for the whole
     * registration timeout (the timers remove cancelled tasks at once).
     */
    void cancelRegistrationDeadline() {
        ScheduledFuture<?> deadline = registrationDeadline;
        if (deadline != null) {
            registrationDeadline = null;
            deadline.cancel(false);
        }
    }

    boolean isAuthenticated() {
        return authenticated;
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
     * Whether the connection can still carry frames: not closed, and not being closed because its client stopped
     * reading (what is written to it then would wait behind the close frame and be lost).
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return !closed && !overflowed.get() && session.isOutputOpen();
    }

    void markClosed() {
        closed = true;
        Runnable resume;
        synchronized (this) {
            resume = whenDrained;
            whenDrained = null;
        }
        if (resume != null) {
            resume.run();
        }
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
