package io.github.demosim.server.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The reference's in-memory per-sender counter of offline messages (l2ps.md §6.2, legacy-and-crypto.md §A.8):
 * lost on restart, like the reference's.
 */
public final class OfflineQuota {
    private final int limit;
    private final Map<String, Integer> counts = new HashMap<>();

    /**
     * Creates the counter.
     *
     * @param limit messages per sender
     */
    public OfflineQuota(int limit) {
        this.limit = limit;
    }

    /**
     * Reserves a slot.
     *
     * @param sender the sender
     * @return {@code false} if the sender is at the limit
     */
    public synchronized boolean tryReserve(String sender) {
        int n = counts.getOrDefault(sender, 0);
        if (n >= limit) {
            return false;
        }
        counts.put(sender, n + 1);
        return true;
    }

    /**
     * Releases slots (floor 0).
     *
     * @param sender the sender
     * @param n how many
     */
    public synchronized void release(String sender, int n) {
        int left = Math.max(0, counts.getOrDefault(sender, 0) - n);
        if (left == 0) {
            counts.remove(sender);
        } else {
            counts.put(sender, left);
        }
    }

    /**
     * Raises a sender's count to at least {@code n} (a sender that moved here from another node of a cluster brings
     * the messages it still has queued: docs/cluster.md).
     *
     * @param sender the sender
     * @param n its messages still queued
     */
    public synchronized void atLeast(String sender, int n) {
        if (n > 0) {
            counts.merge(sender, n, Math::max);
        }
    }

    /**
     * Resets senders to zero (the L2PS reference does this for every sender of a drained queue).
     *
     * @param senders the senders
     */
    public synchronized void reset(Collection<String> senders) {
        senders.forEach(counts::remove);
    }
}
