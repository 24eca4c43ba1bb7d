package io.github.demosim.spi;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.internal.transport.TransportTimer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbound half of one {@link TransportSession}, for transport implementors: it delivers what the socket
 * receives to the {@link TransportListener} in order, on a thread of its own, through a bounded buffer, keeps
 * the connection alive with pings, detects a dead peer, and guarantees the listener exactly one
 * {@link TransportListener#onClosed onClosed}, last. Users of the SDK never need this class.
 *
 * <p>A transport creates one dispatcher per connection attempt, calls {@link #start} when the WebSocket is
 * open (or {@link #discard} if it never opens), and feeds it from its I/O thread with {@link #text},
 * {@link #activity}, {@link #error} and {@link #closed}; these methods never block and never call the listener
 * themselves. The dispatcher in return asks the transport, through {@link Connection}, to ping, to close or to
 * abort; those calls come from a shared timer thread, never from the I/O thread or the listener's thread.
 *
 * <p>Threads: one daemon delivery thread per started session, which ends right after {@code onClosed} was
 * delivered, and one shared daemon timer thread that ends by itself about a second after the last session's
 * timers are gone. No thread outlives its sessions.
 *
 * <p>Overflow: the frames waiting for a slow listener are bounded twice, by
 * {@link TransportOptions#inboundBufferFrames()} and by {@link TransportOptions#inboundBufferBytes()} (2 bytes per
 * {@code char} plus 64 per frame; a frame arriving at an empty buffer always fits). When a frame arrives that
 * would exceed either bound, the frames already buffered are still delivered, then {@code onError} with
 * {@link ErrorCode#TRANSPORT_INBOUND_OVERFLOW}, and the connection is closed with 1008 (policy violation); frames
 * arriving after the overflow are not delivered, which that error reports.
 *
 * <p>Out of memory: an {@link OutOfMemoryError} while a frame is buffered ({@link #text}) or while the listener
 * handles one is not left to kill the thread: the frames still buffered are dropped (to free the memory), the
 * listener gets {@code onError} with {@link ErrorCode#TRANSPORT_INBOUND_OVERFLOW} and then {@code onClosed}, and
 * the connection is closed with 1008.
 *
 * <p>What a transport must do itself: open the socket (ws and wss, {@link TransportOptions#sslContext()}), fail
 * the connect attempt within {@link TransportOptions#connectTimeout()} with
 * {@link ErrorCode#TRANSPORT_CONNECT_FAILED}, send text frames in call order, check the arguments of
 * {@link TransportSession#close(int, String)} as documented there, and bound the wait for the server's answer
 * to its close frame. The tck's {@code TransportContract} checks all of it, the dispatcher's part included. A
 * minimal transport, on a WebSocket library with callbacks (the names of {@code socket} are the library's):
 *
 * <pre>{@code
 * final class MySession implements TransportSession {
 *     private final InboundDispatcher inbound;
 *     private final CompletableFuture<Void> closed = new CompletableFuture<>();
 *     private volatile MySocket socket;
 *
 *     MySession(TransportOptions options, TransportListener listener) {
 *         inbound = new InboundDispatcher(options, listener, "my-transport");
 *     }
 *
 *     // The library's callbacks, on its I/O thread: hand everything over, never block.
 *     void opened(MySocket s) {
 *         socket = s;
 *         inbound.start(this, new InboundDispatcher.Connection() {
 *             public void sendPing() { s.ping(); }                      // asked on the dispatcher's timer
 *             public void close(int code, String reason) { s.close(code, reason); }
 *             public void abort() { s.dropTcp(); }
 *         });
 *     }
 *     void received(String text) { inbound.text(text); }              // binary frames: decode UTF-8 first
 *     void pong() { inbound.activity(); }
 *     void failed(Exception e) {
 *         inbound.error(new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "...", e));
 *         inbound.closed(InboundDispatcher.ABNORMAL_CLOSE, "failed", true);
 *         closed.complete(null);
 *     }
 *     void ended(int code, String reason) { inbound.closed(code, reason, true); closed.complete(null); }
 *
 *     // The TransportSession the peers call.
 *     public CompletableFuture<Void> sendText(String text) { return socket.send(text); }
 *     public CompletableFuture<Void> close(int code, String reason) {
 *         // check code and reason here (see TransportSession.close)
 *         if (!closed.isDone()) {
 *             inbound.closeRequested();                                  // the listener hears this side's close
 *             socket.close(code, reason);
 *         }
 *         return closed.copy();
 *     }
 *     public void abort() {
 *         inbound.closeRequested();
 *         inbound.closed(InboundDispatcher.ABNORMAL_CLOSE, "aborted", false); // reported before the socket goes
 *         socket.dropTcp();
 *     }
 *     public boolean isOpen() { return socket != null && !inbound.isTerminated(); }
 *     public URI uri() { return socket.uri(); }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Null arguments cause {@link NullPointerException}.
 */
public final class InboundDispatcher {
    private static final System.Logger LOG = System.getLogger(InboundDispatcher.class.getName());

    /** Close code for a connection lost without a close frame (RFC 6455 §7.4.1). */
    public static final int ABNORMAL_CLOSE = 1006;
    /** Close code this side uses when the listener fell behind (RFC 6455 policy violation). */
    public static final int POLICY_VIOLATION = 1008;
    /** What a buffered frame counts on top of its text: the queue node, the event and the string's header. */
    private static final int FRAME_OVERHEAD_BYTES = 64;

    /** What the dispatcher asks of the connection it serves. Each method must return promptly. */
    public interface Connection {
        /** Sends a ping frame; failures may be ignored, the idle timeout catches a dead peer. */
        void sendPing();

        /**
         * Starts the closing handshake with this code and reason; the transport then reports the outcome
         * through {@link InboundDispatcher#closed}.
         *
         * @param code the close code
         * @param reason the reason
         */
        void close(int code, String reason);

        /** Drops the connection at once without a handshake, releasing its socket. */
        void abort();
    }

    private sealed interface Event permits Text, Failure, Closed {
    }

    private record Text(String text, long cost) implements Event {
    }

    private record Failure(TransportException error) implements Event {
    }

    private record Closed(int code, String reason, boolean remote) implements Event {
    }

    private final TransportOptions options;
    private final TransportListener listener;
    private final String name;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger bufferedFrames = new AtomicInteger();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicBoolean errorReported = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    /** Set on an OutOfMemoryError: buffered frames are dropped, not delivered. */
    private volatile boolean dropFrames;
    private volatile boolean closeRequested;
    private volatile long lastInboundNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile long delivered;
    private volatile TransportSession session;
    private volatile Connection connection;
    private volatile ScheduledFuture<?> keepAlive;

    /**
     * Creates the dispatcher of one connection attempt. Starts no thread.
     *
     * @param options the session's options (buffer size, ping interval, idle timeout)
     * @param listener the user's listener
     * @param name a short name for the delivery thread, e.g. {@code "tyrus"}
     */
    public InboundDispatcher(TransportOptions options, TransportListener listener, String name) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Starts delivery and keep-alive once the WebSocket is open. Frames passed to {@link #text} before this call
     * are kept and delivered first.
     *
     * @param session the session handed to the listener
     * @param connection how to ping, close and abort the connection
     * @throws IllegalStateException if already started or discarded
     */
    public void start(TransportSession session, Connection connection) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(connection, "connection");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("dispatcher already started or discarded");
        }
        this.session = session;
        this.connection = connection;
        long now = System.nanoTime();
        lastInboundNanos = now;
        lastPingNanos = now;
        Thread thread = new Thread(this::deliver, "demos-im-" + name + "-listener-" + session.uri());
        thread.setDaemon(true);
        thread.start();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                Math.min(options.pingInterval().toNanos(), options.idleTimeout().toNanos()) / 4);
        synchronized (this) {
            if (!terminated.get()) {
                keepAlive = TransportTimer.executor().scheduleWithFixedDelay(this::tick, tick, tick,
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Gives up a connection attempt that never opened: the listener is never called. Cancels nothing else; the
     * transport releases its own resources.
     */
    public void discard() {
        if (started.compareAndSet(false, true)) {
            terminated.set(true);
            events.clear();
        }
    }

    /**
     * Hands a received text frame (or a binary frame decoded as UTF-8) to the listener. Called on the I/O
     * thread; never blocks.
     *
     * @param text the frame
     */
    public void text(String text) {
        Objects.requireNonNull(text, "text");
        lastInboundNanos = System.nanoTime();
        if (terminated.get() || failing.get()) {
            return;
        }
        long cost = 2L * text.length() + FRAME_OVERHEAD_BYTES;
        int frames = bufferedFrames.incrementAndGet();
        long bytes = bufferedBytes.addAndGet(cost);
        if (frames > options.inboundBufferFrames() || (bytes > options.inboundBufferBytes() && bytes != cost)) {
            bufferedFrames.decrementAndGet();
            bufferedBytes.addAndGet(-cost);
            if (failing.compareAndSet(false, true)) {
                String bound = frames > options.inboundBufferFrames()
                        ? options.inboundBufferFrames() + " received frames were waiting"
                        : (bytes - cost) + " bytes of received frames were waiting (inboundBufferBytes "
                                + options.inboundBufferBytes() + ")";
                overflow(new TransportException(ErrorCode.TRANSPORT_INBOUND_OVERFLOW,
                        "The listener of " + uri() + " fell behind: " + bound + " when another frame arrived, after "
                                + delivered + " delivered; the connection is closed with " + POLICY_VIOLATION
                                + " and later frames are not delivered. Return from TransportListener.onText"
                                + " sooner (hand work to another thread) or raise TransportOptions."
                                + (frames > options.inboundBufferFrames() ? "inboundBufferFrames"
                                        : "inboundBufferBytes") + "."));
            }
            return;
        }
        try {
            events.add(new Text(text, cost));
        } catch (OutOfMemoryError e) {
            bufferedFrames.decrementAndGet();
            bufferedBytes.addAndGet(-cost);
            outOfMemory(e, "buffering a frame");
        }
    }

    /** Reports an overflow and asks, on the timer thread, for the 1008 close. */
    private void overflow(TransportException error) {
        reportError(error);
        TransportTimer.executor().execute(() -> {
            Connection c = connection;
            if (c != null) {
                c.close(POLICY_VIOLATION, "inbound buffer overflow");
            }
        });
    }

    /**
     * The JVM ran out of memory on the I/O or the delivery thread: drop what is buffered (that is most likely
     * what filled the heap), report it and close with 1008, without letting the error kill the thread.
     */
    private void outOfMemory(OutOfMemoryError error, String during) {
        dropFrames = true;
        events.removeIf(e -> e instanceof Text);
        bufferedFrames.set(0);
        bufferedBytes.set(0);
        failing.set(true);
        if (!terminated.get()) {
            overflow(new TransportException(ErrorCode.TRANSPORT_INBOUND_OVERFLOW, "The JVM ran out of memory ("
                    + error + ") while " + during + " from " + uri() + ", after " + delivered + " frames were"
                    + " delivered; the frames still buffered were dropped and the connection is closed with "
                    + POLICY_VIOLATION + ". Lower TransportOptions.inboundBufferBytes (the peers' builders:"
                    + " inboundBufferBytes) or give the JVM more heap (-Xmx).", error));
        }
    }

    /** Records inbound activity other than a data frame (a pong, a ping) for dead-peer detection. */
    public void activity() {
        lastInboundNanos = System.nanoTime();
    }

    /**
     * Reports a failure of the connection. Only the first one reaches the listener (later ones are logged at
     * DEBUG), and frames received after it are not delivered: the transport is expected to end the connection
     * and report that with {@link #closed}.
     *
     * @param error the failure
     */
    public void error(TransportException error) {
        Objects.requireNonNull(error, "error");
        if (terminated.get()) {
            return;
        }
        failing.set(true);
        reportError(error);
    }

    /**
     * Tells the dispatcher that this side asked to close the connection (so an ensuing close is not a failure).
     */
    public void closeRequested() {
        closeRequested = true;
    }

    /**
     * Reports the end of the connection. The first call wins: the listener gets exactly one
     * {@link TransportListener#onClosed}, after every frame and error reported before it. A close that this side
     * neither requested nor explained with {@link #error} is reported as {@link ErrorCode#TRANSPORT_CONNECTION_LOST}
     * first: 1006 (lost without close frame), or a code the transport itself chose (e.g. 1009 for a frame larger
     * than {@link TransportOptions#maxFrameBytes()}).
     *
     * @param code the close code
     * @param reason the reason, possibly empty
     * @param remote {@code true} if the server closed or the connection was lost
     */
    public void closed(int code, String reason, boolean remote) {
        String why = reason == null ? "" : reason;
        synchronized (this) {
            if (!terminated.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> timer = keepAlive;
            if (timer != null) {
                timer.cancel(false);
            }
        }
        if (!errorReported.get() && !closeRequested) {
            if (code == ABNORMAL_CLOSE && remote) {
                reportError(new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "The connection to " + uri()
                        + " was lost without a close frame" + (why.isEmpty() ? "" : " (" + why + ")")
                        + ". Reconnect; if this repeats, check the network and the server's logs."));
            } else if (!remote) {
                reportError(new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "The transport closed the"
                        + " connection to " + uri() + " with code " + code + describe(code)
                        + (why.isEmpty() ? "" : ": " + why) + "."));
            }
        }
        events.add(new Closed(code, why, remote));
    }

    /**
     * Returns whether {@link #closed} or {@link #discard} was called.
     *
     * @return {@code true} once the session has ended
     */
    public boolean isTerminated() {
        return terminated.get();
    }

    private static String describe(int code) {
        switch (code) {
            case 1007:
                return " (a frame was not valid UTF-8)";
            case 1009:
                return " (a frame was larger than TransportOptions.maxFrameBytes; raise it if the server may send"
                        + " such frames)";
            case 1002:
                return " (protocol error)";
            default:
                return "";
        }
    }

    private void reportError(TransportException error) {
        if (errorReported.compareAndSet(false, true)) {
            events.add(new Failure(error));
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "further transport error on " + uri(), error);
        }
    }

    private String uri() {
        return options.uri().toString();
    }

    private void tick() {
        long now = System.nanoTime();
        Connection c = connection;
        if (c == null || terminated.get()) {
            return;
        }
        long quiet = now - lastInboundNanos;
        if (quiet >= options.idleTimeout().toNanos()) {
            if (lastPingNanos - lastInboundNanos <= 0) {
                // No ping went out since the last frame: this timer ran late (a pause, a starved machine). A peer
                // is declared dead only once it left a ping unanswered, so ask now and decide at the next tick.
                lastPingNanos = now;
                ping(c);
                return;
            }
            if (failing.compareAndSet(false, true)) {
                reportError(new TransportException(ErrorCode.TRANSPORT_IDLE_TIMEOUT, "No frame or pong came from "
                        + uri() + " for " + Duration.ofNanos(quiet).toMillis() + " ms (idle timeout "
                        + options.idleTimeout().toMillis() + " ms, pinging every "
                        + options.pingInterval().toMillis() + " ms); the peer is considered dead and the connection"
                        + " was dropped. Reconnect; raise TransportOptions.idleTimeout if the server is merely"
                        + " slow."));
                // Reported before aborting: a transport may report its own (local) close from within abort().
                closed(ABNORMAL_CLOSE, "idle timeout", true);
                c.abort();
            }
            return;
        }
        long interval = options.pingInterval().toNanos();
        if (now - Math.max(lastInboundNanos, lastPingNanos) >= interval) {
            lastPingNanos = now;
            ping(c);
        }
    }

    private void ping(Connection c) {
        try {
            c.sendPing();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ping to " + uri() + " failed", e);
        }
    }

    private void deliver() {
        TransportSession s = session;
        try {
            while (true) {
                Event event = events.take();
                if (event instanceof Text text) {
                    bufferedFrames.decrementAndGet();
                    bufferedBytes.addAndGet(-text.cost());
                    if (dropFrames) {
                        continue;
                    }
                    try {
                        listener.onText(s, text.text());
                    } catch (OutOfMemoryError e) {
                        outOfMemory(e, "the listener handled a frame");
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.WARNING, "TransportListener.onText threw; the frame from "
                                + uri() + " counts as delivered", e);
                    }
                    delivered++;
                } else if (event instanceof Failure failure) {
                    try {
                        listener.onError(s, failure.error());
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.WARNING, "TransportListener.onError threw", e);
                    }
                } else if (event instanceof Closed closedEvent) {
                    try {
                        listener.onClosed(s, closedEvent.code(), closedEvent.reason(), closedEvent.remote());
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.WARNING, "TransportListener.onClosed threw", e);
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shared timer, created on first use; its one thread ends by itself when no session needs it. */
}
