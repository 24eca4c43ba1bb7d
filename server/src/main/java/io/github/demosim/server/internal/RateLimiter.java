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

    /** Takes one token for a frame already read; the bucket may go below one, never below zero when paced. */
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

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
