package io.github.demosim.internal.peer;

import io.github.demosim.frame.Frame;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One request of a peer: how to build its frame (at write time, so proofs carry a fresh timestamp), which
 * replies complete it, and its future. The future is internal: it completes on the control thread; the
 * engine hands users a copy that completes on the callback executor.
 *
 * @param <S> the server frame type
 * @param <T> the result type
 */
public final class Request<S extends Frame, T> {
    final String description;
    final Function<String, Frame> frame;
    final Set<String> replyTypes;
    final String key;
    final Predicate<? super S> filter;
    final Function<? super S, ? extends T> result;
    final Duration timeout;
    int retriesLeft;
    final CompletableFuture<T> future = new CompletableFuture<>();

    Correlator.Pending<S, Request<S, ?>> pending;
    ScheduledFuture<?> timer;
    boolean queued;
    boolean resendable;

    private Request(String description, Function<String, Frame> frame, Set<String> replyTypes, String key,
            Predicate<? super S> filter, Function<? super S, ? extends T> result, Duration timeout, int retries) {
        this.description = Objects.requireNonNull(description, "description");
        this.frame = Objects.requireNonNull(frame, "frame");
        this.replyTypes = Set.copyOf(replyTypes);
        this.key = key;
        this.filter = filter;
        this.result = result;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.retriesLeft = retries;
    }

    /**
     * A request answered by a reply frame.
     *
     * @param description what the request is, for messages ({@code send to 3d40…})
     * @param frame builds the frame from the request id to send ({@code null} when the protocol has none)
     * @param replyTypes the wire types that answer it
     * @param key the key the reply must carry, or {@code null}
     * @param filter a further condition on the reply, or {@code null}
     * @param result turns the reply into the result
     * @param timeout how long to wait for the reply, each try
     * @param retries how many times to send again after a timeout
     */
    public static <S extends Frame, T> Request<S, T> awaiting(String description, Function<String, Frame> frame,
            Set<String> replyTypes, String key, Predicate<? super S> filter, Function<? super S, ? extends T> result,
            Duration timeout, int retries) {
        if (replyTypes.isEmpty()) {
            throw new IllegalArgumentException("a request awaiting a reply needs reply types");
        }
        return new Request<>(description, frame, replyTypes, key, filter, Objects.requireNonNull(result, "result"),
                timeout, retries);
    }

    /**
     * A request complete once its frame is written (the legacy {@code message}, which the server never
     * acknowledges on live delivery). Its result is {@code null}.
     *
     * @param description what the request is
     * @param frame builds the frame
     * @param timeout how long it may wait for the connection
     */
    public static <S extends Frame> Request<S, Void> written(String description, Function<String, Frame> frame,
            Duration timeout) {
        return new Request<>(description, frame, Set.of(), null, null, s -> null, timeout, 0);
    }

    /**
     * Marks this request as safe to write again, unchanged but for its request id, after the connection it was
     * written on was lost unanswered (an L2PS send: the server knows the message hash). The engine does so only
     * where the server answers a repeat idempotently; see {@link PeerEngine#resendsAfterLoss()}.
     *
     * @return this request
     */
    public Request<S, T> resendable() {
        this.resendable = true;
        return this;
    }

    /** The internal future. */
    public CompletableFuture<T> future() {
        return future;
    }

    /** What the request is. */
    public String description() {
        return description;
    }

    boolean awaitsReply() {
        return !replyTypes.isEmpty();
    }

    @SuppressWarnings("unchecked")
    void completeWith(Object reply) {
        cancelTimer();
        try {
            future.complete(result.apply((S) reply));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    void fail(Throwable failure) {
        cancelTimer();
        future.completeExceptionally(failure);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
