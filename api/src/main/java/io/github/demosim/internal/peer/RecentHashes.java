package io.github.demosim.internal.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent message hashes seen, to drop duplicate deliveries (a redelivery after a lost ack, the
 * reference server's status races of {@code l2ps.md} §6.3). Bounded: the oldest hashes are forgotten first.
 * Confined to the control thread.
 */
public final class RecentHashes {
    private final Map<String, Boolean> seen;

    /** @param capacity how many hashes to remember */
    public RecentHashes(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code hash}; returns {@code true} if it was not seen before. */
    public boolean firstTime(String hash) {
        return seen.put(hash, Boolean.TRUE) == null;
    }
}
