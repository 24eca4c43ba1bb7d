package io.github.demosim;

import java.time.Duration;
import java.util.Objects;

/**
 * How a peer reconnects after it lost an established connection: exponential back-off that doubles from
 * {@code initialDelay} up to {@code maxDelay}, for at most {@code maxAttempts} attempts, each delay
 * optionally shortened by a random fraction up to {@code jitter}.
 *
 * <p>{@link #defaults()} is the TypeScript SDK's schedule: 1, 2, 4, 8, 16, 30, 30, 30, 30, 30 seconds, ten
 * attempts, no jitter ({@code l2ps.md} §9.4, {@code legacy-and-crypto.md} §A.9). The attempt counter starts
 * again at zero once the peer has re-registered. When the attempts are used up the peer does not stop
 * silently: it moves to {@link ConnectionState#DISCONNECTED} and reports why to its error and
 * connection-state listeners.
 *
 * <pre>{@code
 * ReconnectPolicy p = ReconnectPolicy.defaults().withJitter(0.2).withMaxAttempts(Integer.MAX_VALUE);
 * }</pre>
 *
 * @param initialDelay the delay before the first attempt; positive
 * @param maxDelay the cap on any delay; at least {@code initialDelay}
 * @param maxAttempts how many attempts after a loss, {@code 0} to never reconnect
 * @param jitter in {@code [0, 1]}: each delay is multiplied by {@code 1 - jitter × u} with {@code u} uniform in
 *     {@code [0, 1)}, so that many clients dropped at once do not return at once; {@code 0} for exact delays
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts, double jitter) {

    private static final ReconnectPolicy DEFAULTS =
            new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 10, 0.0);

    /**
     * Validates the policy.
     *
     * @param initialDelay the delay before the first attempt
     * @param maxDelay the cap on any delay
     * @param maxAttempts how many attempts after a loss
     * @param jitter the random fraction
     * @throws IllegalArgumentException if a value is out of range
     */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, got " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must be at least initialDelay ("
                    + initialDelay + ")");
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be 0 or more, got " + maxAttempts);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
        }
    }

    /**
     * Returns the TypeScript SDK's schedule: 1 s doubling to 30 s, ten attempts, no jitter.
     *
     * @return the default policy
     */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a policy that never reconnects: a lost connection moves the peer to
     * {@link ConnectionState#DISCONNECTED} at once.
     *
     * @return the policy
     */
    public static ReconnectPolicy disabled() {
        return DEFAULTS.withMaxAttempts(0);
    }

    /**
     * Returns this policy with another jitter.
     *
     * @param jitter in {@code [0, 1]}
     * @return the new policy
     */
    public ReconnectPolicy withJitter(double jitter) {
        return new ReconnectPolicy(initialDelay, maxDelay, maxAttempts, jitter);
    }

    /**
     * Returns this policy with another attempt limit.
     *
     * @param maxAttempts {@code 0} or more; {@link Integer#MAX_VALUE} for practically unlimited
     * @return the new policy
     */
    public ReconnectPolicy withMaxAttempts(int maxAttempts) {
        return new ReconnectPolicy(initialDelay, maxDelay, maxAttempts, jitter);
    }

    /**
     * Returns this policy with other delays.
     *
     * @param initialDelay the first delay
     * @param maxDelay the cap
     * @return the new policy
     */
    public ReconnectPolicy withDelays(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, maxAttempts, jitter);
    }

    /**
     * Returns the delay before an attempt, before jitter: {@code min(initialDelay × 2^attempt, maxDelay)}.
     *
     * @param attempt the zero-based attempt number
     * @return the delay
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public Duration delayBefore(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 or more, got " + attempt);
        }
        Duration delay = initialDelay;
        for (int i = 0; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
