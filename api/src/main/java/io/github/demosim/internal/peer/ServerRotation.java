package io.github.demosim.internal.peer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which server a peer tries next, and after how long: the failover schedule over a list of servers, driven by
 * the engine's events. Pure state, no threads; the engine calls it on its control thread only.
 *
 * <p>Servers are tried round-robin. A <em>round</em> tries every server once, one right after the other; the
 * {@link Backoff} delay comes before each round of a reconnection, and the policy's attempt limit counts rounds.
 * After a lost connection the first server tried is the next one in the list, never the one just lost (unless it
 * is the only one), and after a failed round the next round starts where the last one stopped, so a server that
 * failed is not tried first again. With one server this is exactly the single-server schedule: delay 0, try,
 * delay 1, try, … up to the limit.
 *
 * <p>{@code connect()} is one round from the first server, without delay: it fails only when every server failed.
 */
public final class ServerRotation {
    /** What to do next: try {@code server} (an index in the list) after {@code delay}, or give up. */
    public record Step(int server, Duration delay) {
        /** @throws NullPointerException if {@code delay} is null */
        public Step {
            Objects.requireNonNull(delay, "delay");
        }
    }

    private final int servers;
    private final Backoff backoff;
    private int current;
    /** How many servers the current round has tried, the current one included. */
    private int triedInRound;
    /** How many rounds the current reconnection has started. */
    private int rounds;

    /**
     * @param servers how many servers, at least 1
     * @param backoff the delays before rounds and the limit on them
     */
    public ServerRotation(int servers, Backoff backoff) {
        if (servers < 1) {
            throw new IllegalArgumentException("at least one server, got " + servers);
        }
        this.servers = servers;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** The server being tried, or connected to: an index in the list. */
    public int current() {
        return current;
    }

    /** How many rounds the current reconnection has started (0 while connected), as "attempts" in messages. */
    public int rounds() {
        return rounds;
    }

    /** {@code connect()} from a disconnected peer: the first server, at once. */
    public Step connect() {
        current = 0;
        triedInRound = 1;
        rounds = 0;
        return new Step(current, Duration.ZERO);
    }

    /** During {@code connect()} the current server failed: the next one at once, or empty when all failed. */
    public Optional<Step> connectFailed() {
        if (triedInRound >= servers) {
            return Optional.empty();
        }
        return Optional.of(advance(Duration.ZERO));
    }

    /** The peer registered on the current server: the next loss starts a fresh reconnection. */
    public void registered() {
        rounds = 0;
        triedInRound = 0;
    }

    /** The registered connection was lost: the first round, from the next server, or empty if reconnecting is off. */
    public Optional<Step> lost() {
        rounds = 0;
        triedInRound = 0;
        return nextRound();
    }

    /** A reconnection attempt on the current server failed: the next server of the round, or the next round. */
    public Optional<Step> attemptFailed() {
        if (triedInRound < servers) {
            return Optional.of(advance(Duration.ZERO));
        }
        return nextRound();
    }

    private Optional<Step> nextRound() {
        if (backoff.exhausted(rounds)) {
            return Optional.empty();
        }
        Duration delay = backoff.delayBefore(rounds++);
        triedInRound = 0;
        return Optional.of(advance(delay));
    }

    private Step advance(Duration delay) {
        current = (current + 1) % servers;
        triedInRound++;
        return new Step(current, delay);
    }
}
