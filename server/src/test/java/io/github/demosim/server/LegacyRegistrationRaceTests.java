package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost when a legacy message is routed while its target registers (legacy-and-crypto.md §A.8 "Offline
 * target" and "Delivery"): the message is either written live or stored before the registration's drain reads
 * the queue, so the target gets it in this registration, not only at its next one.
 *
 * <p>The interleaving is forced, not hoped for: an H2 trigger on the offline insert holds the router after it
 * found the target absent and before its row exists. The target then registers and makes a round trip (in
 * hardened mode a connection's next frame waits for the end of its registration's drain). Without ordering, the
 * registration completes, its drain reads an empty queue, and the round trip returns while the router still
 * waits: the trigger is released then, and the message stays queued. With ordering, the registration waits for
 * the router (the trigger sees it parked on its id's lock and lets the insert go), and the drain finds the row.
 */
class LegacyRegistrationRaceTests {
    /** The gate the trigger waits at; armed by the test, one insert at a time. */
    private static final class Gate {
        final CountDownLatch routerHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
    }

    private static volatile Gate gate;

    /** Holds the first offline insert after the gate is armed (runs on the server's routing thread). */
    public static final class HoldInsert implements Trigger {
        @Override
        public void fire(java.sql.Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            Gate g = gate;
            if (g == null || g.routerHeld.getCount() == 0) {
                return;
            }
            g.routerHeld.countDown();
            long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos(); // a guard, not a timing
            try {
                while (!g.release.await(5, TimeUnit.MILLISECONDS) && !registrationWaitsForALock()
                        && System.nanoTime() < deadline) {
                    // wait for the test (old behaviour) or for the registration to queue behind the router
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a thread is parked on a lock taken directly by the legacy registration. */
    static boolean registrationWaitsForALock() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getState() != Thread.State.WAITING) {
                continue;
            }
            StackTraceElement[] stack = e.getValue();
            for (int i = 0; i + 1 < stack.length; i++) {
                if (stack[i].getClassName().equals("java.util.concurrent.locks.ReentrantLock")
                        && stack[i].getMethodName().equals("lock")
                        && stack[i + 1].getClassName().startsWith(
                                "io.github.demosim.server.internal.legacy.LegacyRegistration")) {
                    return true;
                }
            }
        }
        return false;
    }

    @AfterEach
    void disarm() {
        Gate g = gate;
        gate = null;
        if (g != null) {
            g.release.countDown();
        }
    }

    @Test
    void aMessageRoutedWhileItsTargetRegistersIsDeliveredInThatRegistration() throws Exception {
        String url = "jdbc:h2:mem:legacy-race-" + UUID.randomUUID();
        try (DemosImServer server = DemosImServer.newBuilder().mode(ServerMode.HARDENED).legacyPort(0).disableL2ps()
                .databaseUrl(url).start();
                java.sql.Connection db = DriverManager.getConnection(url);
                LegacyPeer sender = new LegacyPeer(WsClient.connect(server.legacyUri()), LegacyPeer.newId());
                LegacyPeer target = new LegacyPeer(WsClient.connect(server.legacyUri()), LegacyPeer.newId())) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TRIGGER legacy_race_hold BEFORE INSERT ON legacy_offline_messages FOR EACH ROW "
                        + "CALL '" + HoldInsert.class.getName() + "'");
            }
            sender.register();
            Gate g = new Gate();
            gate = g;
            sender.send(target.clientId, obj("n", 1));
            assertThat(g.routerHeld.await(WsClient.HANG_GUARD.toSeconds(), TimeUnit.SECONDS))
                    .as("the router reached the offline insert").isTrue();

            target.ws.send(LegacyPeer.katRegister(target.clientId));
            List<JsonValue> beforeRoundTrip = target.sync(); // the ack, then whatever the drain wrote
            g.release.countDown();

            assertThat(beforeRoundTrip).extracting(Wire::type).containsExactly("register", "message");
            assertThat(Wire.at(beforeRoundTrip.get(1), "payload.message")).isEqualTo(obj("n", 1));
            assertThat(Wire.str(beforeRoundTrip.get(1), "payload.fromId")).isEqualTo(sender.clientId);
            assertThat(Wire.type(sender.ws.next())).as("stored for the target, then handed over")
                    .isEqualTo("message_queued");
        }
    }
}
