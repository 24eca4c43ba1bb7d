package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.store.MessageStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Hardened server timestamps: strictly increasing within a conversation (a network and an unordered pair of
 * keys), so history paging by {@code before} never skips or repeats a message. The last timestamp of recent
 * conversations is cached; others are read from the store.
 */
final class ConversationClock {
    private static final int CACHE_SIZE = 10_000;

    private final MessageStore store;
    private final LongSupplier wallClock;
    private final Map<String, Long> last = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    ConversationClock(MessageStore store, LongSupplier wallClock) {
        this.store = store;
        this.wallClock = wallClock;
    }

    synchronized long next(String l2psUid, String a, String b) {
        String key = a.compareTo(b) <= 0 ? l2psUid + '\n' + a + '\n' + b : l2psUid + '\n' + b + '\n' + a;
        Long previous = last.get(key);
        if (previous == null) {
            previous = store.latestTimestamp(l2psUid, a, b);
        }
        long now = wallClock.getAsLong();
        long ts = previous == Long.MIN_VALUE ? now : Math.max(now, previous + 1);
        last.put(key, ts);
        return ts;
    }
}
