package io.github.demosim.server.internal.l2ps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Keeps one connection's replies in the order of its requests while many of them are in the server at once
 * (hardened mode: a {@code send} is answered from its group commit, a {@code discover} after it at once). Each
 * request takes a {@link Ticket} when it is read; a reply is handed to the connection once every earlier ticket
 * has been answered or closed without an answer. Nothing waits: whoever completes the oldest open ticket hands
 * on everything that became ready behind it, one thread at a time, so the output is in ticket order whatever the
 * order of completion.
 *
 * @param <F> a frame (text on the wire; anything in tests)
 */
final class ReplySequencer<F> {
    private final Function<F, CompletableFuture<Void>> out;
    // Both queues start at two slots, not the default sixteen (about 110 bytes less a connection, most of them
    // idle); they grow, and stay grown, on a connection that pipelines.
    /** Tickets not yet handed on, oldest first. */
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>(2);
    /** Frames ready to hand on, in order, with the futures of their writes. */
    private final ArrayDeque<Pending> ready = new ArrayDeque<>(2);
    private boolean handing;

    /**
     * @param out writes a frame to the connection (in call order) and completes once written
     */
    ReplySequencer(Function<F, CompletableFuture<Void>> out) {
        this.out = out;
    }

    /**
     * The next ticket. Requests take theirs in request order, on the connection's reading thread; a push may take
     * one from any thread, and then follows every reply of a request read before it.
     */
    synchronized Ticket next() {
        Ticket t = new Ticket();
        waiting.addLast(t);
        return t;
    }

    /** Tickets taken and not yet handed on: requests whose answers are still in the server. */
    synchronized int open() {
        return waiting.size();
    }

    private record Pending(Object frame, CompletableFuture<Void> written) {
    }

    /** One request's place in the reply order. */
    final class Ticket {
        private final List<Pending> frames = new ArrayList<>(1);
        private final CompletableFuture<Void> passed = new CompletableFuture<>();
        private boolean complete;
        private boolean handedOn;

        /**
         * The request's answer (its first frame completes the ticket; a later frame, such as a failure after
         * the answer, follows it). Handed on once all earlier tickets are.
         *
         * @param frame the frame
         * @return completes when written
         */
        CompletableFuture<Void> send(F frame) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            synchronized (ReplySequencer.this) {
                Pending p = new Pending(frame, written);
                if (handedOn) {
                    ready.addLast(p); // after the answer, behind whatever is being handed on now
                } else {
                    frames.add(p);
                    complete = true;
                }
            }
            handOn();
            return written;
        }

        /** Completes the ticket without an answer (a request answered by nothing, such as an acknowledgement). */
        void close() {
            synchronized (ReplySequencer.this) {
                complete = true;
            }
            handOn();
        }

        /** Whether an answer was given or the ticket was closed. */
        boolean isComplete() {
            synchronized (ReplySequencer.this) {
                return complete;
            }
        }

        /** Completes once this ticket's frames were handed to the connection (after every earlier ticket's). */
        CompletableFuture<Void> passed() {
            return passed;
        }
    }

    @SuppressWarnings("unchecked")
    private void handOn() {
        List<Ticket> passedNow = new ArrayList<>();
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                if (handing) {
                    return; // the thread handing on now takes what this one made ready
                }
                while (!waiting.isEmpty() && waiting.peekFirst().complete) {
                    Ticket t = waiting.pollFirst();
                    t.handedOn = true;
                    ready.addAll(t.frames);
                    t.frames.clear();
                    passedNow.add(t);
                }
                batch.addAll(ready);
                ready.clear();
                if (batch.isEmpty() && passedNow.isEmpty()) {
                    return;
                }
                handing = true;
            }
            try {
                for (Pending p : batch) {
                    CompletableFuture<Void> w;
                    try {
                        w = out.apply((F) p.frame());
                    } catch (RuntimeException e) {
                        w = CompletableFuture.failedFuture(e);
                    }
                    w.whenComplete((ok, failure) -> {
                        if (failure == null) {
                            p.written().complete(null);
                        } else {
                            p.written().completeExceptionally(failure);
                        }
                    });
                }
            } finally {
                synchronized (this) {
                    handing = false;
                }
            }
            for (Ticket t : passedNow) {
                t.passed.complete(null);
            }
            passedNow.clear();
        }
    }
}
