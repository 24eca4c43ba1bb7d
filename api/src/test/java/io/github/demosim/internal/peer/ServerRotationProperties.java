package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ReconnectPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The failover schedule ({@code docs/failover.md}): round-robin over the servers, back-off between rounds. */
class ServerRotationProperties {

    private static ServerRotation rotation(int servers, int maxAttempts, int initialMillis) {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(initialMillis), Duration.ofMillis(initialMillis * 20L),
                maxAttempts, 0.0);
        return new ServerRotation(servers, new Backoff(p, () -> 0.5));
    }

    private static ReconnectPolicy policy(int maxAttempts, int initialMillis) {
        return new ReconnectPolicy(Duration.ofMillis(initialMillis), Duration.ofMillis(initialMillis * 20L),
                maxAttempts, 0.0);
    }

    // connect() tries the first server, then every other once, at once, and fails only when all failed
    @Property
    void connectTriesEveryServerOnceInOrderThenGivesUp(@ForAll @IntRange(min = 1, max = 6) int servers,
            @ForAll @IntRange(max = 5) int maxAttempts) {
        ServerRotation r = rotation(servers, maxAttempts, 100);
        List<Integer> tried = new ArrayList<>();
        ServerRotation.Step first = r.connect();
        assertThat(first.delay()).isZero();
        tried.add(first.server());
        for (Optional<ServerRotation.Step> s = r.connectFailed(); s.isPresent(); s = r.connectFailed()) {
            assertThat(s.get().delay()).isZero();
            tried.add(s.get().server());
            assertThat(tried).hasSizeLessThanOrEqualTo(servers);
        }
        assertThat(tried).containsExactlyElementsOf(java.util.stream.IntStream.range(0, servers).boxed().toList());
    }

    // after a loss: the next server first, every server once per round, the back-off delay only before a round,
    // and exactly maxAttempts rounds before giving up
    @Property
    void reconnectionIsRoundRobinWithTheBackoffBeforeEachRound(@ForAll @IntRange(min = 1, max = 6) int servers,
            @ForAll @IntRange(max = 6) int maxAttempts, @ForAll @IntRange(max = 20) int registeredAt,
            @ForAll @IntRange(min = 1, max = 1000) int initialMillis) {
        ServerRotation r = rotation(servers, maxAttempts, initialMillis);
        ReconnectPolicy p = policy(maxAttempts, initialMillis);
        int start = registeredAt % servers;
        r.connect();
        for (int i = 0; i < start; i++) {
            r.connectFailed().orElseThrow();
        }
        r.registered();
        assertThat(r.current()).isEqualTo(start);

        List<ServerRotation.Step> steps = new ArrayList<>();
        for (Optional<ServerRotation.Step> s = r.lost(); s.isPresent(); s = r.attemptFailed()) {
            steps.add(s.get());
            assertThat(r.rounds()).isLessThanOrEqualTo(maxAttempts);
            assertThat(steps).hasSizeLessThanOrEqualTo(servers * maxAttempts);
        }
        assertThat(steps).hasSize(servers * maxAttempts);
        for (int i = 0; i < steps.size(); i++) {
            ServerRotation.Step s = steps.get(i);
            assertThat(s.server()).isEqualTo((start + 1 + i) % servers);
            assertThat(s.delay()).isEqualTo(i % servers == 0 ? p.delayBefore(i / servers) : Duration.ZERO);
            if (servers > 1 && i > 0) {
                assertThat(s.server()).as("a server that failed is not tried again next").isNotEqualTo(
                        steps.get(i - 1).server());
            }
        }
        if (servers > 1 && !steps.isEmpty()) {
            assertThat(steps.get(0).server()).as("the server just lost is not tried first").isNotEqualTo(start);
        }
    }

    // one server: exactly the single-server schedule (l2ps.md §9.4): delay(0), delay(1), … up to the limit
    @Property
    void oneServerKeepsTheSingleServerSchedule(@ForAll @IntRange(max = 12) int maxAttempts,
            @ForAll @IntRange(min = 1, max = 1000) int initialMillis) {
        ServerRotation r = rotation(1, maxAttempts, initialMillis);
        ReconnectPolicy p = policy(maxAttempts, initialMillis);
        r.connect();
        r.registered();
        List<Duration> delays = new ArrayList<>();
        for (Optional<ServerRotation.Step> s = r.lost(); s.isPresent(); s = r.attemptFailed()) {
            assertThat(s.get().server()).isZero();
            delays.add(s.get().delay());
        }
        List<Duration> expected = new ArrayList<>();
        for (int i = 0; i < maxAttempts; i++) {
            expected.add(p.delayBefore(i));
        }
        assertThat(delays).containsExactlyElementsOf(expected);
    }

    enum Event { FAIL, REGISTER, LOSE }

    @Provide
    Arbitrary<List<Event>> events() {
        return Arbitraries.of(Event.class).list().ofMaxSize(60);
    }

    // any history of failures, registrations and losses: every window of one round covers every server, a
    // registration resets the schedule, and the delay is never anything but zero or a back-off delay
    @Property
    void anyHistoryKeepsTheRotationInvariants(@ForAll @IntRange(min = 1, max = 5) int servers,
            @ForAll @IntRange(min = 1, max = 8) int maxAttempts, @ForAll("events") List<Event> events) {
        ServerRotation r = rotation(servers, maxAttempts, 50);
        ReconnectPolicy p = policy(maxAttempts, 50);
        r.connect();
        r.registered();
        boolean connected = true;
        boolean gaveUp = false;
        List<Integer> sinceLoss = new ArrayList<>();
        for (Event e : events) {
            if (gaveUp) {
                break;
            }
            switch (e) {
                case REGISTER -> {
                    if (!connected) {
                        r.registered();
                        connected = true;
                        assertThat(r.rounds()).isZero();
                    }
                }
                case LOSE, FAIL -> {
                    int before = r.current();
                    Optional<ServerRotation.Step> s;
                    if (connected) {
                        s = r.lost();
                        sinceLoss.clear();
                        connected = false;
                        s.ifPresent(step -> assertThat(step.delay()).isEqualTo(p.delayBefore(0)));
                    } else {
                        s = r.attemptFailed();
                    }
                    if (s.isEmpty()) {
                        assertThat(r.rounds()).isEqualTo(maxAttempts);
                        gaveUp = true;
                        break;
                    }
                    ServerRotation.Step step = s.get();
                    assertThat(step.server()).isEqualTo((before + 1) % servers).isEqualTo(r.current());
                    assertThat(step.delay()).isIn(Duration.ZERO, p.delayBefore(Math.max(0, r.rounds() - 1)));
                    sinceLoss.add(step.server());
                    if (sinceLoss.size() >= servers) {
                        Set<Integer> window = new HashSet<>(sinceLoss.subList(sinceLoss.size() - servers,
                                sinceLoss.size()));
                        assertThat(window).hasSize(servers);
                    }
                }
            }
        }
    }

    @Property(tries = 10)
    void refusesAnEmptyList(@ForAll @IntRange(min = -3, max = 0) int servers) {
        assertThatThrownBy(() -> new ServerRotation(servers, new Backoff(ReconnectPolicy.defaults(), () -> 0.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
