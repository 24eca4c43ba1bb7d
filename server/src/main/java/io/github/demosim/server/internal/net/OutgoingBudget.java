package io.github.demosim.server.internal.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes written to clients and not yet taken by their sockets, bounded per connection and in total. A
 * frame is accepted when its connection has nothing pending (so a frame larger than the bound still goes to a
 * client that reads), or when both bounds still hold with it; otherwise the connection is a slow reader and is
 * closed (docs/server.md, "Connections"). So the total never exceeds {@code total} plus one frame per
 * connection that had nothing pending.
 */
public final class OutgoingBudget {
    private final long perConnection;
    private final long total;
    private final AtomicLong used = new AtomicLong();

    /**
     * Creates the budget.
     *
     * @param perConnection bytes pending on one connection at most
     * @param total bytes pending on all connections together at most
     */
    public OutgoingBudget(long perConnection, long total) {
        this.perConnection = perConnection;
        this.total = total;
    }

    /**
     * The bound of one connection.
     *
     * @return bytes
     */
    public long perConnection() {
        return perConnection;
    }

    /**
     * What is pending on all connections now.
     *
     * @return bytes
     */
    public long used() {
        return used.get();
    }

    /** Reserves {@code n} bytes for a connection with {@code pending} bytes already counted; false if over. */
    boolean reserve(AtomicLong pending, int n) {
        long mine = pending.addAndGet(n);
        long all = used.addAndGet(n);
        if (mine - n > 0 && (mine > perConnection || all > total)) {
            pending.addAndGet(-n);
            used.addAndGet(-n);
            return false;
        }
        return true;
    }

    /** Returns {@code n} bytes; the connection's remaining count. */
    long release(AtomicLong pending, int n) {
        used.addAndGet(-n);
        return pending.addAndGet(-n);
    }
}
