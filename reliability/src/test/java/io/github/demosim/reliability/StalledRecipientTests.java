package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.RawL2ps;
import io.github.demosim.reliability.support.RawSocket;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.server.DemosImServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: recipients that do not read stall nothing else. The server used to wait for a hardened live
 * send's recipient write on a worker thread while holding the recipient's lock stripe, so with as many stuck
 * recipients as workers, nobody else was served. Since issue 16 item 1 a send is answered once its row is durable
 * and the recipient's frame is written from the commit's completion (requeued if it fails), so no send waits on a
 * recipient at all: here the server has 2 workers and 2 attackers flood recipients that read nothing; a
 * bystander's {@code discover} is answered, and every one of the attackers' sends is answered (none is left
 * waiting on its recipient). The latency under this attack is measured by {@code bench}'s
 * {@code StalledRecipients} (docs/reliability.md).
 */
class StalledRecipientTests {
    private static final Duration GUARD = Duration.ofSeconds(60);
    private static final int SENDS = 60;

    @Test
    void aBystanderIsServedAndNoSendWaitsOnAStuckRecipient() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .workerThreads(2).start()) {
            List<RawSocket> recipients = new ArrayList<>();
            List<RawL2ps> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Identity r = Identity.generate();
                    RawSocket stuck = RawSocket.connect(server.l2psPort(), 16 * 1024);
                    stuck.sendText(Wire.register(r, List.of()));
                    while (!"registered".equals(Json.type(Json.parse(stuck.read().text())))) {
                        // presence
                    }
                    recipients.add(stuck);
                    RawL2ps attacker = RawL2ps.connect(server.l2psUri(), Identity.generate());
                    attacker.register(List.of());
                    attackers.add(attacker);
                    // 60 x 128 KiB pipelined: more than the socket buffers between the server and the recipient.
                    Thread flood = new Thread(() -> {
                        try {
                            for (int k = 0; k < SENDS; k++) {
                                attacker.ws.send(Wire.send(r.ed25519PublicKeyHex(), ciphertext(), Wire.newHash()));
                            }
                        } catch (RuntimeException | AssertionError closed) {
                            // the test is over
                        }
                    }, "attacker-" + i);
                    flood.setDaemon(true);
                    flood.start();
                }
                try (RawL2ps bystander = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
                    bystander.register(List.of());
                    bystander.ws.send(Wire.discover("bystander"));
                    assertThat(Json.type(bystander.ws.next("discover_response"))).isEqualTo("discover_response");
                }
                // Every send is answered although the recipients read nothing: sent (durable; the frame that never
                // reaches its recipient goes back to the queue), queued once the recipient is closed as a slow
                // reader, or refused once its queue is full. None waits on its recipient.
                for (RawL2ps attacker : attackers) {
                    int answered = 0;
                    long deadline = System.nanoTime() + GUARD.toNanos();
                    while (answered < SENDS) {
                        String text = attacker.ws.nextText(Duration.ofMillis(100));
                        if (text != null && List.of("message_sent", "message_queued", "error")
                                .contains(Json.type(Json.parse(text)))) {
                            answered++;
                        }
                        assertThat(System.nanoTime()).as("only %d of %d sends answered", answered, SENDS)
                                .isLessThan(deadline);
                    }
                }
                System.out.printf("FIGURE stalled-recipients/order: 2 workers, 2 attackers flooding recipients "
                        + "that do not read: a bystander's discover answered, and all %d sends of each attacker%n",
                        SENDS);
            } finally {
                for (RawSocket r : recipients) {
                    r.close();
                }
                attackers.forEach(RawL2ps::close);
            }
        }
    }

    private static String ciphertext() {
        byte[] b = new byte[98_304];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
