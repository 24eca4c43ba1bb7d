package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The peer's second bound on received frames (issue 14 item 9): it holds the delivery thread, never the control one. */
class InboundBacklogTests {

    @Test
    void aFrameAloneAlwaysFitsThenTheBoundHolds() throws Exception {
        InboundBacklog backlog = new InboundBacklog(1000);
        assertThat(backlog.acquire(5000, () -> false)).as("alone, whatever its size").isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> backlog.acquire(10, () -> false));
        Thread.sleep(200);
        assertThat(second).as("waits while the first is held").isNotDone();
        backlog.release(5000);
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosedPeerReleasesTheWaitingThread() throws Exception {
        InboundBacklog backlog = new InboundBacklog(1000);
        backlog.acquire(900, () -> false);
        AtomicBoolean closed = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> backlog.acquire(200, closed::get));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        closed.set(true);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("the frame is dropped").isFalse();
    }

    @Test
    void aFrameCountsTwoBytesPerCharPlusItsBookkeeping() {
        assertThat(InboundBacklog.cost("")).isEqualTo(64);
        assertThat(InboundBacklog.cost("x".repeat(20_000))).isEqualTo(40_064);
    }
}
