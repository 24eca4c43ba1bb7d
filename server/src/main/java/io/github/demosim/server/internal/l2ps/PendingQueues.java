package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.store.QueueUsage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offline messages accepted for a recipient's queue whose rows are still waiting for their group commit. The
 * store counts only committed rows, and a hardened send is not held until its commit, so the offline queue bound
 * adds these (taken under the recipient's lock stripe, released once the row is durable or failed).
 */
final class PendingQueues {
    private final ConcurrentHashMap<String, QueueUsage> pending = new ConcurrentHashMap<>();

    /** The stored usage plus what is on its way to it. */
    QueueUsage with(String toKey, String l2psUid, QueueUsage stored) {
        QueueUsage p = pending.get(key(toKey, l2psUid));
        return p == null ? stored : new QueueUsage(stored.messages() + p.messages(), stored.bytes() + p.bytes());
    }

    /** Counts a row on its way; {@link #committed} takes it back. */
    void add(String toKey, String l2psUid, long bytes) {
        pending.merge(key(toKey, l2psUid), new QueueUsage(1, bytes),
                (a, b) -> new QueueUsage(a.messages() + b.messages(), a.bytes() + b.bytes()));
    }

    /** The row is committed (the store counts it now) or failed. */
    void committed(String toKey, String l2psUid, long bytes) {
        pending.computeIfPresent(key(toKey, l2psUid), (k, a) -> a.messages() <= 1 ? null
                : new QueueUsage(a.messages() - 1, a.bytes() - bytes));
    }

    private static String key(String toKey, String l2psUid) {
        return l2psUid + '\u0000' + toKey;
    }
}
