package io.github.demosim.internal.peer;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Keeps messages in call order when some of them must first look up the recipient's key: each one is handed
 * to the peer only after the one called before it was handed over (or failed before that). Without this, a
 * message whose key was known would overtake an earlier one still waiting for its lookup.
 *
 * <p>Only the hand-over is ordered, not the completion: a message does not wait for the previous one's
 * acknowledgement. When nothing waits, the hand-over happens on the caller's thread.
 */
public final class SubmissionOrder {
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /**
     * Hands {@code submit} the prerequisite's value once the prerequisite and every earlier submission are
     * through.
     *
     * @param prerequisite what the submission needs first (the key lookup), possibly already complete
     * @param submit hands the message to the peer and returns its future
     * @return the message's future; fails with the prerequisite's failure if that fails
     */
    public synchronized <K, T> CompletableFuture<T> after(CompletableFuture<K> prerequisite,
            Function<? super K, CompletableFuture<T>> submit) {
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        CompletableFuture<T> result = tail.thenCombine(prerequisite, (ignored, k) -> k)
                .handle((k, failure) -> {
                    try {
                        return failure != null ? CompletableFuture.<T>failedFuture(PeerEngine.unwrap(failure))
                                : submit.apply(k);
                    } catch (RuntimeException e) {
                        return CompletableFuture.<T>failedFuture(e);
                    } finally {
                        handedOver.complete(null);
                    }
                })
                .thenCompose(f -> f);
        tail = handedOver;
        return result;
    }
}
