package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ReconnectPolicy;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class BackoffProperties {

    @Property
    void jitterOnlyShortensAndNeverBelowTheRemainder(@ForAll @IntRange(max = 40) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1) double jitter,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double u) {
        ReconnectPolicy p = ReconnectPolicy.defaults().withJitter(jitter);
        Duration base = p.delayBefore(attempt);
        Duration d = new Backoff(p, () -> u).delayBefore(attempt);
        assertThat(d).isLessThanOrEqualTo(base);
        assertThat(d.toNanos()).isGreaterThanOrEqualTo((long) (base.toNanos() * (1 - jitter)) - 1);
    }
}
