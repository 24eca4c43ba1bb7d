package io.github.demosim.server.internal.l2ps;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a connection may acknowledge without paying for it: one {@code ack} for each {@code message} frame it was
 * handed. An acknowledgement is the client doing what the server asked, so it must not use up the flood-control
 * budget that paces requests (a 1,200-message backlog acknowledged at once is not a flood); an acknowledgement
 * beyond what was handed over (a bogus one, or a repeat) is paid for as any other frame, so an ack flood is still
 * bounded by the pace plus the messages the client was really sent. Thread-safe: deliveries to a connection come
 * from other connections' threads.
 */
final class AckCredit {
    private final AtomicLong handed = new AtomicLong();

    /** A {@code message} frame is being written to the connection. */
    void handedOne() {
        handed.incrementAndGet();
    }

    /**
     * Spends the credit of one handed message, if there is one.
     *
     * @return whether the acknowledgement is free
     */
    boolean spend() {
        return handed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
