package io.github.demosim.server.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection deadlines (handshake, registration) let go of their connection once they can no longer fire:
 * a pending timer task holds what it captured for the whole timeout (for the handshake, the HTTP connection's
 * parser and request state, and through the endpoint the WebSocket session, even once closed), which showed in
 * the idle-connection heap (bench IdleConnectionMemory; issue 16's target "no regression of the idle-connection
 * heap"). The deadlines still close a connection that misses them.
 */
class DeadlineTimerTests {
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    DeadlineTimerTests() {
        timers.setRemoveOnCancelPolicy(true); // as the server's timers (ServerRuntime)
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void theHandshakeDeadlineIsCancelledWhenJettyUpgradesTheConnection() {
        ConnectionGate gate = new ConnectionGate(10, 10, Duration.ofMinutes(1), timers);
        ByteArrayEndPoint endPoint = openHttp(gate);
        assertThat(timers.getQueue()).as("the deadline of the connection in its handshake").hasSize(1);

        endPoint.upgrade(new Idle(endPoint)); // what the WebSocket handshake does: closes the HTTP connection

        assertThat(timers.getQueue()).as("nothing left holding the upgraded connection").isEmpty();
        assertThat(endPoint.isOpen()).isTrue();
        assertThat(gate.handshakesTimedOut()).isZero();
    }

    @Test
    void aConnectionThatDoesNotUpgradeIsStillClosedAtTheHandshakeTimeout() throws InterruptedException {
        ConnectionGate gate = new ConnectionGate(10, 10, Duration.ofMillis(50), timers);
        ByteArrayEndPoint endPoint = openHttp(gate);

        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a guard against a hang, not a timing
        while (endPoint.isOpen() && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(endPoint.isOpen()).as("closed at its handshake deadline").isFalse();
        assertThat(gate.handshakesTimedOut()).isEqualTo(1);
        assertThat(timers.getQueue()).isEmpty();
    }

    @Test
    void theRegistrationDeadlineIsCancelledOnceTheClientRegisters() {
        Connection c = new Connection(null, "l2ps", new OutgoingBudget(1 << 20, 1 << 24), timers);
        ScheduledFuture<?> deadline = timers.schedule(() -> { }, 1, TimeUnit.MINUTES);
        c.registrationDeadline(deadline);
        assertThat(timers.getQueue()).hasSize(1);

        c.authenticated();

        assertThat(deadline.isCancelled()).isTrue();
        assertThat(timers.getQueue()).as("the registered connection's deadline is gone").isEmpty();
        assertThat(c.isAuthenticated()).isTrue();
        c.cancelRegistrationDeadline(); // at close, again: nothing to do
    }

    /** An HTTP connection as Jetty opens one on the server: its factory's listeners, then onOpen. */
    private static ByteArrayEndPoint openHttp(ConnectionGate gate) {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint();
        Idle http = new Idle(endPoint);
        http.addEventListener(gate.handshakeDeadline());
        endPoint.setConnection(http);
        http.onOpen();
        return endPoint;
    }

    /** A connection that reads nothing, standing for Jetty's HTTP connection and the WebSocket one after it. */
    private static final class Idle extends AbstractConnection {
        Idle(EndPoint endPoint) {
            super(endPoint, Runnable::run);
        }

        @Override
        public void onFillable() {
        }
    }
}
