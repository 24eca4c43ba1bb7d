package io.github.demosim.server.internal;

/**
 * A token bucket used as a pace: {@code perSecond} frames per second on average, bursts up to {@code burst}.
 * {@link #charge} each frame read, then wait {@link #pauseNanos} before reading the next one. Thread-safe.
 */
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
     * Takes one token for a frame already read. The bucket may go below one; below zero only when several
     * connections draw from it (a key's or an address's bucket), by at most one frame each, and the pause then
     * lasts until the debt is paid back.
     */
    public synchronized void charge() {
        refill();
        tokens -= 1;
    }

    /** Gives back the token of a frame that turned out to be free. */
    public synchronized void refund() {
        refill();
        tokens = Math.min(burst, tokens + 1);
    }

    /**
     * How long to wait before reading the next frame: zero while a token is left, else until one is back.
     *
     * @return nanoseconds
     */
    public synchronized long pauseNanos() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
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
