package io.github.demosim.internal.peer;

import java.util.function.BooleanSupplier;

/**
 * The bytes of received frames one connection's link holds between the transport's delivery thread and the end
 * of the listener calls they cause (decoded on the delivery thread, handled on the control thread, delivered on
 * the callback executor). The transport's own buffer is bounded in bytes; this bounds what lies behind it, so a
 * server that sends faster than the peer and its listeners drain cannot fill the heap: once the bound is reached,
 * {@link #acquire} holds the delivery thread, the transport's buffer fills, and the transport closes the
 * connection with 1008 ({@code IM-TRANSPORT-003}). A frame that arrives while nothing is held always fits.
 */
final class InboundBacklog {
    private static final long POLL_MILLIS = 100;

    private final long limit;
    private long held;

    /** @param limit the bound in bytes (a frame counts 2 bytes per char plus 64) */
    InboundBacklog(long limit) {
        this.limit = limit;
    }

    /** What a frame counts: 2 bytes per char (the most a Java string takes) plus 64 of bookkeeping. */
    static long cost(String text) {
        return 2L * text.length() + 64;
    }

    /**
     * Takes room for a frame, waiting while the bound would be exceeded. Called on the transport's delivery
     * thread only, so waiting here is what makes the transport's bounded buffer fill.
     *
     * @param cost what the frame counts
     * @param abandoned polled while waiting: {@code true} once nothing will release room any more (the peer is
     *     closed)
     * @return {@code false} if abandoned (or interrupted): the frame must be dropped
     */
    synchronized boolean acquire(long cost, BooleanSupplier abandoned) {
        while (held > 0 && held + cost > limit) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
            try {
                wait(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        held += cost;
        return true;
    }

    /** Gives back what {@link #acquire} took, once the frame's work is done. */
    synchronized void release(long cost) {
        held -= cost;
        notifyAll();
    }
}
