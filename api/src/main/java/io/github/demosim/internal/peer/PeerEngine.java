package io.github.demosim.internal.peer;

import io.github.demosim.CodecException;
import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.ImException;
import io.github.demosim.ServerErrorException;
import io.github.demosim.Subscription;
import io.github.demosim.TransportException;
import io.github.demosim.frame.Frame;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The connection lifecycle both peers share: open, register, serve requests, lose the connection, back
 * off, reopen, re-register, flush what was queued, close.
 *
 * <p>All state lives on the control thread ({@link PeerThreads#control()}); public methods only post tasks to
 * it. Each opened connection gets a new epoch number; anything that arrives for an older epoch (a late
 * frame, a late close, a late reply to a register) is ignored, so one socket is registered at most once
 * ({@code l2ps.md} §10 B3) and a reconnect never races an old socket.
 *
 * <p>Servers: the peer may have several; {@link ServerRotation} says which one each attempt opens, and after
 * which delay. {@link #where()} is the one being tried or connected to.
 *
 * <p>Requests: while the peer is connecting or reconnecting they wait in the outbox and are written, in call
 * order, right after (re-)registration; while it is disconnected or closed they fail at once with
 * {@link ErrorCode#NOT_CONNECTED}. Every request's future completes within its timeout. Requests written
 * on a connection that is then lost fail at once with {@link ErrorCode#NOT_CONNECTED}: the server may or may
 * not have processed them. The exception are {@linkplain Request#resendable() resendable} requests on a
 * connection whose server {@linkplain #resendsAfterLoss() answers a repeat idempotently}: they go back to the
 * front of the outbox, in the order they were written, and are written again after re-registration, on
 * whichever server that is.
 *
 * @param <S> the server frame family
 * @param <R> what registration yields
 */
public abstract class PeerEngine<S extends Frame, R> {
    /** The logger of both peers. */
    protected static final System.Logger LOG = System.getLogger("io.github.demosim.peer");
    private static final int OUTBOX_LIMIT = 10_000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** The peer's threads. */
    protected final PeerThreads threads;
    /** The codec. */
    protected final FrameCodec codec;
    /** Request ids and timestamps. */
    protected final RequestIds ids = new RequestIds();
    /** Waiting requests. Control thread only. */
    protected final Correlator<S, Request<S, ?>> correlator = new Correlator<>();
    /** Connection-state listeners. */
    protected final Listeners<ConnectionStateChange> stateListeners;
    /** Error listeners. */
    protected final Listeners<ErrorEvent> errorListeners;

    private final TransportProvider transport;
    private final List<TransportOptions> servers;
    private final Class<S> serverFamily;
    private final ServerRotation rotation;

    // control-thread state
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile ConnectionState publishedState = ConnectionState.DISCONNECTED;
    private TransportSession session;
    private long epoch;
    private boolean everRegistered;
    /** The server of the last registration, or {@code null} before the first. */
    private URI lastRegistered;
    private volatile URI connectedServer;
    private R registration;
    private ScheduledFuture<?> reconnectTimer;
    /** The registration request in flight (one step of it, when it takes several), or {@code null}. */
    private Request<S, ?> pendingRegister;
    private final ArrayDeque<Request<S, ?>> outbox = new ArrayDeque<>();
    /** What the frame being handled counted ({@link InboundBacklog#cost}); control thread only. */
    private long inboundCost;
    private final List<CompletableFuture<R>> connectWaiters = new ArrayList<>();

    /**
     * @param threads the peer's threads
     * @param transport the transport
     * @param servers where to connect: one entry per server, in failover order, at least one
     * @param codec the codec
     * @param serverFamily the class of the frames the server sends
     * @param backoff the reconnect schedule
     */
    protected PeerEngine(PeerThreads threads, TransportProvider transport, List<TransportOptions> servers,
            FrameCodec codec, Class<S> serverFamily, Backoff backoff) {
        this.threads = threads;
        this.transport = transport;
        this.servers = List.copyOf(servers);
        this.codec = codec;
        this.serverFamily = serverFamily;
        this.rotation = new ServerRotation(this.servers.size(), backoff);
        this.stateListeners = new Listeners<>(threads.events());
        this.errorListeners = new Listeners<>(threads.events());
        threads.onTaskFailure(this::controlTaskFailed);
    }

    /**
     * A task on the control thread threw (PeerThreads logged it). An {@link OutOfMemoryError} there comes from
     * handling received frames: report it and drop the connection, which reconnects.
     */
    private void controlTaskFailed(Throwable failure) {
        if (!(failure instanceof OutOfMemoryError)) {
            return;
        }
        TransportSession s = session;
        errorListeners.dispatch(new ErrorEvent(new TransportException(ErrorCode.TRANSPORT_INBOUND_OVERFLOW, "The JVM"
                + " ran out of memory (" + failure + ") while the peer handled frames from " + where() + "; the"
                + " connection is closed with 1008 and the peer reconnects. Lower inboundBufferBytes on the builder"
                + " or give the JVM more heap (-Xmx)", failure), false));
        if (s != null) {
            s.close(1008, "out of memory");
        }
    }

    // ---- protocol hooks (all called on the control thread) ----

    /** The register request for a freshly opened connection. */
    protected abstract Request<S, R> registerRequest();

    /**
     * Registers a freshly opened connection: by default {@link #registerRequest()} alone. A protocol whose
     * registration takes several requests chains them with {@link #registrationStep}; the result completes on
     * the control thread.
     */
    protected CompletableFuture<R> register() {
        return registrationStep(registerRequest());
    }

    /**
     * Writes one request of the registration on the connection being registered (it does not wait in the
     * outbox, which is for requests made while connecting); fails at once if that connection is gone.
     *
     * @param request the request
     * @return its internal future, completed on the control thread
     */
    protected final <T> CompletableFuture<T> registrationStep(Request<S, T> request) {
        if (session == null) {
            request.fail(new ImException(ErrorCode.NOT_CONNECTED, "Cannot " + request.description
                    + ": the connection to " + where() + " was lost during registration"));
        } else {
            pendingRegister = request;
            armTimeout(request);
            write(request);
        }
        return request.future;
    }

    /** Registration succeeded; {@code reconnect} tells whether this is a re-registration. Runs before the outbox is flushed. */
    protected abstract void onRegistered(R registration, boolean reconnect);

    /** The request id a server frame carries, or {@code null}. */
    protected abstract String requestIdOf(S frame);

    /** The request id a request frame carries, or {@code null} when the protocol has none (legacy). */
    protected abstract String sentRequestId(Frame request);

    /** The correlation key a reply carries (message hash, target id), or {@code null}. */
    protected abstract String replyKeyOf(S frame);

    /** The frame read as an error, or empty if it is not an error frame. */
    protected abstract Optional<InboundError> asError(S frame);

    /**
     * Reads text this protocol's codec refused as a frame of {@code otherFamily}, the other Demos protocol's.
     *
     * @param text the text
     * @param otherFamily the other protocol's server frames
     * @param advice what to do, e.g. which port to use
     * @return the mismatch, or empty when the text is not the other protocol's either
     */
    protected final Optional<ImException> answeredIn(String text, Class<? extends Frame> otherFamily, String advice) {
        Frame frame;
        try {
            frame = codec.decode(text, otherFamily);
        } catch (RuntimeException notThatEither) {
            return Optional.empty();
        }
        return Optional.of(new ImException(ErrorCode.PROTOCOL_MISMATCH, "The server at " + where()
                + " answered with a frame of the other Demos protocol ('" + frame.type() + "'): " + advice));
    }

    /**
     * A frame this protocol cannot decode, checked against the other Demos protocol: when it is a frame of that
     * one (an L2PS client at a legacy port, or the reverse), the failure that says so. Called on a transport thread.
     */
    protected abstract Optional<ImException> otherProtocol(String text);

    /** A frame that answered no request: pushes (messages, presence), and replies nobody waits for. */
    protected abstract void onUnsolicited(S frame);

    /** Whether a registration failure during reconnection is permanent, so that retrying is pointless. */
    protected abstract boolean isPermanent(ImException registrationFailure);

    /** The connection is gone for good (the peer gave up or closed): forget presence, fail trackers. */
    protected abstract void onDisconnected(ImException cause);

    /**
     * Whether the server of the connection just lost answers a repeated {@linkplain Request#resendable() resendable}
     * request idempotently, so that writing it again after reconnecting cannot do it twice. By default not.
     */
    protected boolean resendsAfterLoss() {
        return false;
    }

    // ---- public operations, callable from any thread ----

    /** Opens and registers; see the peers' {@code connect()}. */
    public CompletableFuture<R> connect() {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (!threads.post(() -> connectOnControl(result))) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    /** The current state. */
    public ConnectionState state() {
        return publishedState;
    }

    /** The server this peer is registered with, or empty when it is not connected. */
    public Optional<URI> connectedServer() {
        return Optional.ofNullable(connectedServer);
    }

    /** Adds a connection-state listener. */
    public Subscription onConnectionStateChange(Consumer<? super ConnectionStateChange> listener) {
        return stateListeners.add(listener);
    }

    /** Adds an error listener. */
    public Subscription onError(Consumer<? super ErrorEvent> listener) {
        return errorListeners.add(listener);
    }

    /**
     * Submits a request from any thread; returns a future that completes on the callback executor.
     *
     * @param request the request
     * @return the user's future
     */
    protected <T> CompletableFuture<T> submit(Request<S, T> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        request.future.whenComplete((v, e) -> threads.complete(result, v, unwrap(e)));
        if (!threads.post(() -> enqueue(request))) {
            request.fail(closedException());
        }
        return result;
    }

    /** Closes the connection, fails what is pending, and stops the peer's threads; see the peers' {@code close()}. */
    public void close() {
        if (threads.control().isShutdown()) {
            return;
        }
        if (!threads.onOwnThread()) {
            // Let listener calls already queued finish first: each posts its acknowledgement to the control
            // thread, so the close below is written after them and a clean close loses no ack.
            CompletableFuture<Void> drained = new CompletableFuture<>();
            try {
                threads.events().execute(() -> drained.complete(null));
                await(drained);
            } catch (java.util.concurrent.RejectedExecutionException alreadyStopping) {
                // nothing queued can run any more
            }
        }
        CompletableFuture<TransportSession> closing = new CompletableFuture<>();
        if (!threads.post(() -> closing.complete(closeOnControl()))) {
            return;
        }
        TransportSession toClose = await(closing);
        if (toClose != null) {
            try {
                toClose.close(1000, "client closed").get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                toClose.abort();
            } catch (InterruptedException e) {
                toClose.abort();
                Thread.currentThread().interrupt();
            }
        }
        threads.shutdown(CLOSE_GRACE);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---- control thread ----

    /**
     * What the server frame being handled counted in bytes ({@link InboundBacklog#cost} of its text), for the
     * bounds of what a subclass keeps of it (e.g. messages waiting for a listener). Control thread only.
     */
    protected long inboundCost() {
        return inboundCost;
    }

    /** The bound in bytes on received frames held in memory, as the transport's. */
    protected long inboundBufferBytes() {
        return servers.get(0).inboundBufferBytes();
    }

    /** The URI of the server being tried or connected to, for messages. */
    protected String where() {
        return servers.get(rotation.current()).uri().toString();
    }

    /** Every server, for messages: the one URI, or the list. */
    private String allServers() {
        return servers.size() == 1 ? where() : "any of " + servers.stream().map(o -> o.uri().toString())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The state, read on the control thread. */
    protected ConnectionState controlState() {
        return state;
    }

    /** The registration of the current connection, or {@code null}. */
    protected R currentRegistration() {
        return registration;
    }

    /**
     * Enqueues a request from the control thread (e.g. the presence re-sync after a reconnect); returns its
     * internal future, which completes on the control thread.
     */
    protected <T> CompletableFuture<T> submitFromControl(Request<S, T> request) {
        enqueue(request);
        return request.future;
    }

    /** Writes a frame that expects no reply, if connected; failures are only logged. */
    protected void sendWithoutReply(Frame frame) {
        if (state != ConnectionState.CONNECTED || session == null) {
            return;
        }
        String text;
        try {
            text = codec.encode(frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not encode " + frame.type(), e);
            return;
        }
        session.sendText(text).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Could not write " + frame.type() + ": " + e);
            }
        });
    }

    private void connectOnControl(CompletableFuture<R> result) {
        switch (state) {
            case CLOSED -> threads.complete(result, null, closedException());
            case CONNECTED -> threads.complete(result, registration, null);
            case CONNECTING, RECONNECTING -> connectWaiters.add(result);
            case DISCONNECTED -> {
                connectWaiters.add(result);
                rotation.connect();
                setState(ConnectionState.CONNECTING, null);
                open();
            }
        }
    }

    private void open() {
        long e = ++epoch;
        CompletableFuture<TransportSession> opening;
        try {
            opening = transport.connect(servers.get(rotation.current()), new Link(e));
        } catch (RuntimeException ex) {
            opening = CompletableFuture.failedFuture(ex);
        }
        opening.whenComplete((s, ex) -> {
            if (!threads.post(() -> opened(e, s, ex)) && s != null) {
                s.abort();
            }
        });
    }

    private void opened(long e, TransportSession s, Throwable failure) {
        if (e != epoch || state == ConnectionState.CLOSED || state == ConnectionState.DISCONNECTED) {
            if (s != null) {
                s.abort();
            }
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            lost(e, cause instanceof ImException im ? im : new TransportException(ErrorCode.TRANSPORT_CONNECT_FAILED,
                    "Could not connect to " + where() + ": " + cause + ". Check that the server runs and the URI is right",
                    cause));
            return;
        }
        session = s;
        LOG.log(System.Logger.Level.DEBUG, () -> "Connected to " + where() + ", registering");
        register().whenComplete((r, ex) -> {
            if (e != epoch) {
                return;
            }
            if (ex == null) {
                registered(r);
            } else {
                registrationFailed(unwrap(ex));
            }
        });
    }

    private void registered(R r) {
        boolean reconnect = everRegistered;
        everRegistered = true;
        rotation.registered();
        registration = r;
        URI server = servers.get(rotation.current()).uri();
        boolean failover = lastRegistered != null && !lastRegistered.equals(server);
        lastRegistered = server;
        connectedServer = server;
        if (failover) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Failed over to " + server);
        }
        setState(ConnectionState.CONNECTED, null, failover, server);
        onRegistered(r, reconnect);
        while (!outbox.isEmpty() && state == ConnectionState.CONNECTED) {
            write(outbox.poll());
        }
        List<CompletableFuture<R>> waiters = List.copyOf(connectWaiters);
        connectWaiters.clear();
        waiters.forEach(w -> threads.complete(w, r, null));
    }

    private void registrationFailed(Throwable failure) {
        ImException cause = failure instanceof ImException im ? im
                : new ImException(ErrorCode.NOT_CONNECTED, "Registration failed: " + failure, failure);
        epoch++;
        TransportSession s = session;
        session = null;
        if (s != null) {
            s.abort();
        }
        failPending(cause, false);
        if (state == ConnectionState.CONNECTING) {
            boolean serverFault = cause instanceof TransportException || cause.code() == ErrorCode.NOT_CONNECTED
                    || cause.code() == ErrorCode.REQUEST_TIMEOUT;
            Optional<ServerRotation.Step> next = serverFault ? rotation.connectFailed() : Optional.empty();
            if (next.isPresent()) {
                tryNext(next.get(), cause);
            } else {
                failConnect(cause);
            }
        } else if (cause.code() == ErrorCode.PROTOCOL_MISMATCH || isPermanent(cause)) {
            giveUp(cause, "re-registration was refused");
        } else {
            scheduleReconnect(rotation.attemptFailed(), cause);
        }
    }

    private void lost(long e, ImException cause) {
        if (e != epoch) {
            return;
        }
        if (cause.code() == ErrorCode.TRANSPORT_INBOUND_OVERFLOW) {
            // Not only a state change: the server sent more than this peer holds (docs/errors.md, IM-TRANSPORT-003).
            errorListeners.dispatch(new ErrorEvent(cause, false));
        }
        epoch++;
        session = null;
        connectedServer = null;
        boolean resend = state == ConnectionState.CONNECTED && resendsAfterLoss();
        failPending(new ImException(ErrorCode.NOT_CONNECTED, "The connection to " + where()
                + " was lost before the reply arrived (" + cause.getMessage()
                + "); the server may or may not have processed the request. Retry it once the peer is connected "
                + "again", cause), resend);
        switch (state) {
            case CONNECTING -> {
                Optional<ServerRotation.Step> next = rotation.connectFailed();
                if (next.isPresent()) {
                    tryNext(next.get(), cause);
                } else {
                    failConnect(cause);
                }
            }
            case CONNECTED -> {
                URI lostServer = servers.get(rotation.current()).uri();
                Optional<ServerRotation.Step> next = rotation.lost();
                if (next.isEmpty()) {
                    giveUp(cause, "reconnection is disabled");
                } else {
                    setState(ConnectionState.RECONNECTING, cause, false, lostServer);
                    scheduleReconnect(next, cause);
                }
            }
            case RECONNECTING -> scheduleReconnect(rotation.attemptFailed(), cause);
            default -> {
            }
        }
    }

    /**
     * Fails every request waiting for a reply, except, when {@code resend}, the resendable ones: those go back to
     * the front of the outbox in the order they were written, to be written again after re-registration.
     */
    private void failPending(ImException cause, boolean resend) {
        List<Request<S, ?>> again = new ArrayList<>();
        for (Correlator.Pending<S, Request<S, ?>> p : correlator.removeAll()) {
            Request<S, ?> r = p.attachment();
            if (resend && r.resendable && !r.future.isDone()) {
                r.pending = null;
                r.queued = true;
                again.add(r);
                continue;
            }
            r.fail(new ImException(cause.code(), r.description + ": " + cause.getMessage().replaceFirst(
                    " \\[IM-[A-Z]+-\\d+\\]$", ""), cause));
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            outbox.addFirst(again.get(i));
        }
        if (!again.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, () -> again.size() + " unanswered request(s) will be written again"
                    + " after reconnecting");
        }
    }

    /** During {@code connect()}: the next server of the round, at once. */
    private void tryNext(ServerRotation.Step step, ImException cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Could not connect (" + cause.getMessage() + "); trying "
                + servers.get(step.server()).uri());
        open();
    }

    private void failConnect(ImException failure) {
        ImException cause = failure;
        if (servers.size() > 1 && failure instanceof TransportException t) {
            cause = new TransportException(t.code(), "Could not connect to " + allServers() + "; the last one tried, "
                    + where() + ": " + t.getMessage().replaceFirst(" \\[IM-[A-Z]+-\\d+\\]$", ""), t);
        }
        setState(ConnectionState.DISCONNECTED, cause);
        failWaiting(cause, new ImException(ErrorCode.NOT_CONNECTED,
                "Not sent: connecting to " + where() + " failed (" + cause.getMessage() + ")", cause));
    }

    private void giveUp(ImException cause, String why) {
        connectedServer = null;
        ImException ex = new ImException(ErrorCode.NOT_CONNECTED, "Stopped reconnecting to " + allServers()
                + " after " + rotation.rounds() + " attempt(s): " + why + "; last failure: " + cause.getMessage()
                + ". Call connect() to try again", cause);
        setState(ConnectionState.DISCONNECTED, ex);
        failWaiting(ex, ex);
        errorListeners.dispatch(new ErrorEvent(ex, false));
    }

    private void failWaiting(ImException connectFailure, ImException requestFailure) {
        List<CompletableFuture<R>> waiters = List.copyOf(connectWaiters);
        connectWaiters.clear();
        waiters.forEach(w -> threads.complete(w, null, connectFailure));
        while (!outbox.isEmpty()) {
            outbox.poll().fail(requestFailure);
        }
        registration = null;
        onDisconnected(connectFailure);
    }

    private void scheduleReconnect(Optional<ServerRotation.Step> next, ImException cause) {
        if (next.isEmpty()) {
            giveUp(cause, "the reconnect policy allows " + rotation.rounds() + " attempt(s)"
                    + (servers.size() == 1 ? "" : " (each tries every server once)"));
            return;
        }
        Duration delay = next.get().delay();
        LOG.log(System.Logger.Level.DEBUG, () -> "Reconnecting to " + where() + " in " + delay + " (attempt "
                + rotation.rounds() + ")");
        reconnectTimer = threads.control().schedule(() -> {
            reconnectTimer = null;
            if (state == ConnectionState.RECONNECTING) {
                open();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private TransportSession closeOnControl() {
        if (state == ConnectionState.CLOSED) {
            return null;
        }
        epoch++;
        connectedServer = null;
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
        ImException closed = closedException();
        failPending(closed, false);
        setState(ConnectionState.CLOSED, null);
        failWaiting(closed, closed);
        TransportSession s = session;
        session = null;
        return s;
    }

    private ImException closedException() {
        return new ImException(ErrorCode.NOT_CONNECTED, "The peer for " + allServers()
                + " is closed; build a new one to connect again");
    }

    private void setState(ConnectionState next, ImException cause) {
        setState(next, cause, false, servers.get(rotation.current()).uri());
    }

    private void setState(ConnectionState next, ImException cause, boolean failover, URI server) {
        if (state == next) {
            return;
        }
        ConnectionState previous = state;
        state = next;
        publishedState = next;
        LOG.log(System.Logger.Level.DEBUG, () -> "State " + previous + " -> " + next + " (" + server + ")");
        stateListeners.dispatch(new ConnectionStateChange(previous, next, Optional.ofNullable(cause), server,
                failover));
    }

    private void enqueue(Request<S, ?> r) {
        switch (state) {
            case CLOSED -> r.fail(closedException());
            case DISCONNECTED -> r.fail(new ImException(ErrorCode.NOT_CONNECTED, "Cannot " + r.description
                    + ": the peer is not connected to " + where() + ". Call connect() first"));
            case CONNECTED -> {
                armTimeout(r);
                write(r);
            }
            case CONNECTING, RECONNECTING -> {
                if (outbox.size() >= OUTBOX_LIMIT) {
                    r.fail(new ImException(ErrorCode.NOT_CONNECTED, "Cannot " + r.description + ": "
                            + OUTBOX_LIMIT + " requests already wait for the connection to " + where()));
                    return;
                }
                r.queued = true;
                armTimeout(r);
                outbox.add(r);
            }
        }
    }

    private void armTimeout(Request<S, ?> r) {
        r.timer = threads.control().schedule(() -> timedOut(r), r.timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void timedOut(Request<S, ?> r) {
        if (r.future.isDone()) {
            return;
        }
        if (r.retriesLeft > 0) {
            r.retriesLeft--;
            if (!r.queued && r.pending != null && correlator.remove(r.pending) && session != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Retrying " + r.description);
                write(r);
            }
            armTimeout(r);
            return;
        }
        boolean wasQueued = r.queued;
        outbox.remove(r);
        if (r.pending != null) {
            correlator.remove(r.pending);
        }
        r.fail(new ImException(ErrorCode.REQUEST_TIMEOUT, "No reply to " + r.description + " within "
                + r.timeout.toMillis() + " ms" + (wasQueued ? " (it was still waiting for the connection to "
                + where() + ")" : r.replyTypes.isEmpty() ? "" : " (waited for " + String.join("|", r.replyTypes)
                + ")") + ". Raise the timeout on the builder if the server is slow"));
    }

    private void write(Request<S, ?> r) {
        r.queued = false;
        String requestId = ids.next(System.currentTimeMillis());
        String text;
        Frame frame;
        try {
            frame = r.frame.apply(requestId);
            text = codec.encode(frame);
        } catch (RuntimeException e) {
            r.fail(e);
            return;
        }
        if (r.awaitsReply()) {
            r.pending = correlator.add(sentRequestId(frame), frame.type(), r.replyTypes, r.key, r.filter, r);
        }
        session.sendText(text).whenComplete((v, ex) -> threads.post(() -> written(r, ex)));
    }


    private void written(Request<S, ?> r, Throwable failure) {
        if (r.future.isDone()) {
            return;
        }
        if (r.queued) {
            return; // the connection was lost and the request waits to be written again
        }
        if (failure != null) {
            if (r.resendable && r.pending != null && correlator.isWaiting(r.pending) && resendsAfterLoss()) {
                // the connection is going away: its loss puts the request back in the outbox, in order
                return;
            }
            if (r.pending == null || correlator.remove(r.pending)) {
                // the connection is going away; this request fails as every other one pending at the drop
                Throwable cause = unwrap(failure);
                r.fail(new ImException(ErrorCode.NOT_CONNECTED, "Could not write " + r.description + " to "
                        + where() + " (" + cause.getMessage() + "); retry it once the peer is connected again",
                        cause));
            }
            return;
        }
        if (!r.awaitsReply()) {
            r.completeWith(null);
        }
    }

    private void inbound(long e, S frame) {
        if (e != epoch) {
            return;
        }
        Optional<InboundError> error = asError(frame);
        if (error.isPresent()) {
            InboundError err = error.get();
            Optional<Correlator.Pending<S, Request<S, ?>>> p =
                    correlator.onError(err.requestId(), err.kinds(), err.keyHint());
            ServerErrorException ex = new ServerErrorException(err.code(), err.message(),
                    p.map(x -> x.attachment().description).orElse("a request of " + where()));
            p.ifPresent(x -> x.attachment().fail(ex));
            errorListeners.dispatch(new ErrorEvent(ex, p.isPresent()));
            return;
        }
        Optional<Correlator.Pending<S, Request<S, ?>>> p =
                correlator.onReply(frame.type(), requestIdOf(frame), replyKeyOf(frame), frame);
        if (p.isPresent()) {
            p.get().attachment().completeWith(frame);
        } else {
            onUnsolicited(frame);
        }
    }

    private void undecodable(long e, CodecException ex) {
        if (e != epoch) {
            return;
        }
        errorListeners.dispatch(new ErrorEvent(ex, false));
    }

    /** The server speaks the other protocol: registering cannot succeed, so fail it now rather than time out. */
    private void wrongProtocol(long e, ImException ex) {
        if (e != epoch) {
            return;
        }
        Request<S, ?> register = pendingRegister;
        boolean failsRegistration = register != null && !register.future.isDone();
        errorListeners.dispatch(new ErrorEvent(ex, failsRegistration));
        if (failsRegistration) {
            if (register.pending != null) {
                correlator.remove(register.pending);
            }
            register.fail(ex);
        }
    }

    /** Unwraps {@link CompletionException} and {@link ExecutionException}. */
    protected static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Receives one connection's frames; decodes on the transport's thread, handles on the control thread. What it
     * holds is bounded by an {@link InboundBacklog}: each frame counts from its arrival until the listener calls
     * it caused have run (a release queued behind them on the serial event executor).
     */
    private final class Link implements TransportListener {
        private final long epoch;
        private final InboundBacklog backlog = new InboundBacklog(servers.get(0).inboundBufferBytes());
        private volatile TransportException error;

        Link(long epoch) {
            this.epoch = epoch;
        }

        @Override
        public void onText(TransportSession s, String text) {
            long cost = InboundBacklog.cost(text);
            if (!backlog.acquire(cost, () -> threads.control().isShutdown())) {
                return;
            }
            Runnable task;
            try {
                S frame = codec.decode(text, serverFamily);
                task = () -> inbound(epoch, frame);
            } catch (CodecException ex) {
                Optional<ImException> mismatch = otherProtocol(text);
                task = () -> {
                    if (mismatch.isPresent()) {
                        wrongProtocol(epoch, mismatch.get());
                    } else {
                        undecodable(epoch, ex);
                    }
                };
            } catch (RuntimeException ex) {
                CodecException wrapped = new CodecException(ErrorCode.CODEC_INVALID_FRAME,
                        "The codec failed on a frame from " + where() + ": " + ex, null, -1, ex);
                task = () -> undecodable(epoch, wrapped);
            } catch (Error ex) {
                backlog.release(cost);
                throw ex; // the transport's dispatcher reports an OutOfMemoryError and closes the connection
            }
            Runnable handle = task;
            if (!threads.post(() -> {
                try {
                    inboundCost = cost;
                    handle.run();
                } finally {
                    releaseAfterListeners(cost);
                }
            })) {
                backlog.release(cost);
            }
        }

        /** On the control thread: the release runs once the listener calls queued so far have run. */
        private void releaseAfterListeners(long cost) {
            try {
                threads.events().execute(() -> backlog.release(cost));
            } catch (RuntimeException rejected) {
                backlog.release(cost);
            }
        }

        @Override
        public void onError(TransportSession s, TransportException e) {
            error = e;
        }

        @Override
        public void onClosed(TransportSession s, int code, String reason, boolean remote) {
            TransportException cause = error != null ? error : new TransportException(
                    ErrorCode.TRANSPORT_CONNECTION_LOST, "The connection to " + where() + " closed (code " + code
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")");
            threads.post(() -> lost(epoch, cause));
        }
    }
}
