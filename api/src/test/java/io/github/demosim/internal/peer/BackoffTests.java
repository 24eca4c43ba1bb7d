package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ReconnectPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;

class BackoffTests {

    // l2ps.md §9.4 and checklist item 34; legacy-and-crypto.md §A.9 and §C.2 item 16
    @Example
    void defaultScheduleIsTheTypeScriptSdks() {
        Backoff backoff = new Backoff(ReconnectPolicy.defaults(), () -> 0.5);
        List<Long> seconds = new ArrayList<>();
        for (int attempt = 0; !backoff.exhausted(attempt); attempt++) {
            seconds.add(backoff.delayBefore(attempt).toSeconds());
        }
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L, 30L);
    }

    @Example
    void scheduleStaysAtTheCapForever() {
        ReconnectPolicy p = ReconnectPolicy.defaults().withMaxAttempts(Integer.MAX_VALUE);
        assertThat(p.delayBefore(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayBefore(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Example
    void disabledPolicyAllowsNoAttempt() {
        assertThat(new Backoff(ReconnectPolicy.disabled(), () -> 0).exhausted(0)).isTrue();
    }

    @Example
    void policyRejectsNonsense() {
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> ReconnectPolicy.defaults().withMaxAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> ReconnectPolicy.defaults().withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> ReconnectPolicy.defaults().withJitter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    }
}
