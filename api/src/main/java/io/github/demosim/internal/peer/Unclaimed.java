package io.github.demosim.internal.peer;

import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.ImException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Messages that arrived while no message listener was registered, kept for the first one, bounded by count and by
 * bytes (what their frames counted, {@link InboundBacklog#cost}): a server must not be able to fill the heap of a
 * client that registers its listener late. When a message does not fit, the oldest are dropped (the peers report
 * each as {@code IM-TRANSPORT-003}). Control thread only.
 *
 * @param <M> the message type
 */
public final class Unclaimed<M> {
    private final int maxCount;
    private final long maxBytes;
    private final ArrayDeque<M> messages = new ArrayDeque<>();
    private final ArrayDeque<Long> costs = new ArrayDeque<>();
    private long bytes;

    /**
     * @param maxCount how many messages may wait
     * @param maxBytes how many bytes they may count together (a message alone always fits)
     */
    public Unclaimed(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a message, first dropping the oldest ones it would not fit beside.
     *
     * @param message the message
     * @param cost what its frame counted
     * @return the dropped messages, oldest first
     */
    public List<M> add(M message, long cost) {
        List<M> dropped = new ArrayList<>();
        while (!messages.isEmpty() && (messages.size() >= maxCount || bytes + cost > maxBytes)) {
            dropped.add(messages.poll());
            bytes -= costs.poll();
        }
        messages.add(message);
        costs.add(cost);
        bytes += cost;
        return dropped;
    }

    /** @return the oldest message, or {@code null} if none waits */
    public M poll() {
        M message = messages.poll();
        if (message != null) {
            bytes -= costs.poll();
        }
        return message;
    }

    /** @return whether no message waits */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** @return how many bytes the waiting messages count */
    public long bytes() {
        return bytes;
    }

    /**
     * Hands every waiting message, oldest first, to {@code listener}.
     *
     * @param listener what takes them (the peer's event queue)
     */
    public void handTo(Consumer<? super M> listener) {
        for (M message = poll(); message != null; message = poll()) {
            listener.accept(message);
        }
    }

    /**
     * The error a peer reports for a message {@link #add} dropped.
     *
     * @param which names the dropped message ({@code ", <hash>"}), or {@code ""} where it has no name
     * @return the event
     */
    public ErrorEvent dropped(String which) {
        return new ErrorEvent(new ImException(ErrorCode.TRANSPORT_INBOUND_OVERFLOW, "No message listener was"
                + " registered and " + maxCount + " messages or " + maxBytes + " bytes (inboundBufferBytes) were"
                + " waiting; dropped the oldest" + which + ". Register onMessage before connect()"), false);
    }
}
