package io.github.demosim.server.internal;

/** A token bucket: {@code perSecond} frames per second on average, bursts up to {@code burst}. Thread-safe. */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * Creates a full bucket.
     *
     * @param perSecond sustained rate
     * @param burst bucket size
     */
    public RateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /**
     * Takes one token if there is one.
     *
     * @return whether the frame may be processed
     */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Whether the bucket is full again, so that it behaves as a new one.
     *
     * @return whether full
     */
    public synchronized boolean full() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
