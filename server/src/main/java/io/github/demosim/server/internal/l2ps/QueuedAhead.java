package io.github.demosim.server.internal.l2ps;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per recipient key: its messages that reach it through the queue (stored queued, or named to another node) and
 * are not written to it yet. Such a row decided before the recipient registered here can commit after that
 * registration's drain read the queue; it is then claimed and written behind the drain, off the sending thread. A
 * live frame decided meanwhile would overtake it, so while this count is above zero a send to that recipient
 * takes the same way (stored queued, claimed in row order) and keeps the conversation's order (l2ps.md §6.1;
 * found by reliability's ClusterKillTests, where a sender and its recipient failed over to one node together).
 *
 * <p>Counted under the recipient's lock stripe when the send is decided; released once the row's frame is handed
 * to the recipient's connection, or once the row is left for a later drain. A count is only ever for rows on
 * their way, so the map holds no more keys than sends in flight.
 */
final class QueuedAhead {
    private final ConcurrentHashMap<String, Integer> rows = new ConcurrentHashMap<>();

    /** A row for this recipient is on its way through the queue. */
    void add(String recipientKey) {
        rows.merge(recipientKey, 1, Integer::sum);
    }

    /** Whether a row for this recipient is on its way through the queue. */
    boolean any(String recipientKey) {
        return rows.containsKey(recipientKey);
    }

    /** That row was handed to the recipient's connection, or left for its next drain. */
    void done(String recipientKey) {
        rows.computeIfPresent(recipientKey, (k, n) -> n <= 1 ? null : n - 1);
    }
}
