package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.store.QueueUsage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Offline messages accepted for a recipient's queue whose rows are still waiting for their group commit. The
 * store counts only committed rows, and a hardened send is not held until its commit, so the offline queue bound
 * adds these (taken under the recipient's lock stripe, released once the row is durable or failed).
 */
final class PendingQueues {
    private final ConcurrentHashMap<String, QueueUsage> pending = new ConcurrentHashMap<>();

    /**
     * The stored usage plus what is on its way to it. A row leaves this count only after its commit, which the
     * caller does not wait for, so the two cannot be read at one instant: this one is read first, then the
     * store's. A row then never escapes both counts (gone from here means committed before the store was read),
     * so the bound is never exceeded; a row committed while the store is read is counted twice and may refuse a
     * send one message early. The reads are repeated while rows of this queue leave meanwhile, which makes that
     * rare (the window is the few microseconds between a commit and its callback).
     */
    QueueUsage with(String toKey, String l2psUid, Supplier<QueueUsage> stored) {
        String k = key(toKey, l2psUid);
        QueueUsage p = pending.get(k);
        QueueUsage s = stored.get();
        for (int again = 0; again < 3 && pending.get(k) != p; again++) {
            p = pending.get(k);
            s = stored.get();
        }
        return p == null ? s : new QueueUsage(s.messages() + p.messages(), s.bytes() + p.bytes());
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
