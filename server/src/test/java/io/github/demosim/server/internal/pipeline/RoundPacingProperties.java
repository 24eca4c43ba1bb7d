package io.github.demosim.server.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Issue 16: the pipeline paces its rounds only while a tick has time in hand, so that a moderate load's tick
 * leaves the store writer half a core, and a backlog is still worked off flat out. A tick is simulated on
 * {@link L2psPipeline#pauseAfterRound} alone: no clock, no sleeping.
 */
class RoundPacingProperties {

    @Provide
    Arbitrary<List<Long>> rounds() {
        return Arbitraries.longs().between(0, 3_000_000_000L).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 1_000)
    void pausesMirrorTheRoundsWithinTheFirstHalfAndCostAtMostAQuarter(@ForAll("rounds") List<Long> rounds,
            @ForAll @LongRange(min = 1_000_000, max = 60_000_000_000L) long interval) {
        long elapsed = 0;
        long work = 0;
        long paused = 0;
        for (long round : rounds) {
            elapsed += round;
            work += round;
            long pause = L2psPipeline.pauseAfterRound(round, elapsed, interval);
            assertThat(pause).as("a pause is the round's own length, or none").isIn(0L, round);
            elapsed += pause;
            paused += pause;
            if (pause > 0) {
                assertThat(elapsed).as("paused only within the first half of the interval")
                        .isLessThanOrEqualTo(interval / 2);
            }
        }
        assertThat(paused).as("never more pause than work").isLessThanOrEqualTo(work);
        assertThat(paused).as("a tick is slowed by at most a quarter of the interval")
                .isLessThanOrEqualTo(interval / 4);
    }

    @Property(tries = 200)
    void aBacklogPastHalfTheIntervalRunsFlatOut(@ForAll @LongRange(min = 0, max = 3_000_000_000L) long round,
            @ForAll @LongRange(min = 1_000_000, max = 60_000_000_000L) long interval) {
        long elapsed = interval / 2 + 1 + round;
        assertThat(L2psPipeline.pauseAfterRound(round, elapsed, interval)).isZero();
    }

    @Property(tries = 200)
    void aShortRoundEarlyInTheTickIsFollowedByAsLongAPause(
            @ForAll @LongRange(min = 1, max = 1_000_000) long round) {
        long interval = 10_000_000_000L;
        assertThat(L2psPipeline.pauseAfterRound(round, round, interval)).isEqualTo(round);
    }
}
