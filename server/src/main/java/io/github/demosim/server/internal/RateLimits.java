package io.github.demosim.server.internal;

import io.github.demosim.server.internal.net.Pace;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hardened frame-rate limits, applied as a pace ({@link Pace}: a connection beyond them is read more slowly,
 * never refused, so nothing it sent is dropped; issue 14 item 5). One token bucket per connection until it
 * registers and per registered key after (a key keeps its bucket across reconnections, so reconnecting does not
 * refill it, and several connections of one key share it), and one per client address shared by all its
 * connections (so opening more connections does not buy more frames). A connection reads its next frame once
 * every bucket it draws from has a token again. Buckets of addresses and keys are kept in bounded maps: a bucket
 * that has refilled is the same as a new one, so those are forgotten first. Thread-safe.
 */
public final class RateLimits {
    /** Buckets of addresses and of keys kept at most, each. */
    static final int MAX_TRACKED = 16_384;

    private final int perSecond;
    private final int burst;
    private final int addressPerSecond;
    private final int addressBurst;
    private final Map<Object, RateLimiter> shared = new LinkedHashMap<>(256, 0.75f, true);

    RateLimits(ServerConfig config) {
        boolean hardened = config.hardened();
        this.perSecond = hardened ? config.rateLimitPerSecond() : 0;
        this.burst = config.rateLimitBurst();
        this.addressPerSecond = hardened ? config.limits().addressRatePerSecond() : 0;
        this.addressBurst = config.limits().addressRateBurst();
    }

    /**
     * The limiter of a new connection.
     *
     * @param address the client's address, or {@code null}
     * @return its limiter, or {@code null} when no limit applies (reference mode, or limits off)
     */
    public FrameLimiter forConnection(InetAddress address) {
        if (perSecond == 0 && addressPerSecond == 0) {
            return null;
        }
        RateLimiter own = perSecond > 0 ? new RateLimiter(perSecond, burst) : null;
        RateLimiter byAddress = addressPerSecond > 0 && address != null ? bucket(address, addressPerSecond,
                addressBurst) : null;
        return new FrameLimiter(own, byAddress);
    }

    private synchronized RateLimiter bucket(Object key, int rate, int size) {
        RateLimiter b = shared.get(key);
        if (b == null) {
            if (shared.size() >= 2 * MAX_TRACKED) {
                evict();
            }
            b = new RateLimiter(rate, size);
            shared.put(key, b);
        }
        return b;
    }

    /** Forgets refilled buckets, oldest use first; if none has refilled, the least recently used ones. */
    private void evict() {
        int target = MAX_TRACKED;
        for (Iterator<RateLimiter> it = shared.values().iterator(); it.hasNext() && shared.size() > target; ) {
            if (it.next().full()) {
                it.remove();
            }
        }
        for (Iterator<RateLimiter> it = shared.values().iterator(); it.hasNext() && shared.size() > target; ) {
            it.next();
            it.remove();
        }
    }

    /** The buckets one connection draws from, as its pace. */
    public final class FrameLimiter implements Pace {
        private volatile RateLimiter own;
        private final RateLimiter byAddress;

        private FrameLimiter(RateLimiter own, RateLimiter byAddress) {
            this.own = own;
            this.byAddress = byAddress;
        }

        @Override
        public void charge() {
            RateLimiter mine = own;
            if (mine != null) {
                mine.charge();
            }
            if (byAddress != null) {
                byAddress.charge();
            }
        }

        @Override
        public void refund() {
            RateLimiter mine = own;
            if (mine != null) {
                mine.refund();
            }
            if (byAddress != null) {
                byAddress.refund();
            }
        }

        @Override
        public long pauseNanos() {
            RateLimiter mine = own;
            long pause = mine == null ? 0 : mine.pauseNanos();
            return byAddress == null ? pause : Math.max(pause, byAddress.pauseNanos());
        }

        /**
         * The connection registered this key (or legacy client id): from now on it draws from the key's bucket.
         *
         * @param key the key, with a protocol prefix
         */
        public void registered(String key) {
            if (perSecond > 0) {
                own = bucket(key, perSecond, burst);
            }
        }
    }
}
