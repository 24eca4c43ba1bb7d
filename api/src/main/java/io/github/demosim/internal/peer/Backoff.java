package io.github.demosim.internal.peer;

import io.github.demosim.ReconnectPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/** The reconnect schedule of a {@link ReconnectPolicy}, with its jitter drawn from a source of randomness. */
public final class Backoff {
    private final ReconnectPolicy policy;
    private final DoubleSupplier uniform;

    /**
     * @param policy the policy
     * @param uniform values uniform in {@code [0, 1)}, consulted only when the policy has jitter
     */
    public Backoff(ReconnectPolicy policy, DoubleSupplier uniform) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.uniform = Objects.requireNonNull(uniform, "uniform");
    }

    /** Whether {@code attempt} (zero-based) is beyond the policy's limit. */
    public boolean exhausted(int attempt) {
        return attempt >= policy.maxAttempts();
    }

    /** The delay before the zero-based {@code attempt}: the policy's delay, shortened by at most the jitter. */
    public Duration delayBefore(int attempt) {
        Duration base = policy.delayBefore(attempt);
        if (policy.jitter() == 0.0) {
            return base;
        }
        double factor = 1.0 - policy.jitter() * uniform.getAsDouble();
        return Duration.ofNanos((long) (base.toNanos() * factor));
    }

    /** The policy. */
    public ReconnectPolicy policy() {
        return policy;
    }
}
