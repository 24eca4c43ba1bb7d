package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.reliability.support.Await;
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
 * Issue 14 item 3: recipients that do not read stall nothing else. A hardened live send answers its sender only
 * once the recipient's frame is written (or after 5 s); the server used to wait for that on a worker thread while
 * holding the recipient's lock stripe, so with as many stuck recipients as workers, nobody else was served. Here
 * the server has 2 workers and 2 attackers each have a send pending on a recipient that reads nothing: a
 * bystander's {@code discover} must be answered while both sends are still pending (no timing is asserted: the
 * order of events is). The latency under this attack is measured by {@code bench}'s {@code StalledRecipients}
 * (docs/reliability.md).
 */
class StalledRecipientTests {
    private static final Duration GUARD = Duration.ofSeconds(60);

    @Test
    void aBystanderIsServedWhileEveryWorkerWouldWaitOnAStuckRecipient() throws Exception {
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
                    // 60 x 128 KiB pipelined: more than the socket buffers between the server and the recipient. Sent
                    // from a thread of its own: the server stops reading an attacker whose send is pending.
                    Thread flood = new Thread(() -> {
                        try {
                            for (int k = 0; k < 60; k++) {
                                attacker.ws.send(Wire.send(r.ed25519PublicKeyHex(), ciphertext(), Wire.newHash()));
                            }
                        } catch (RuntimeException | AssertionError stalledOrClosed) {
                            // the server reads no more of this attacker for now, or the test is over
                        }
                    }, "attacker-" + i);
                    flood.setDaemon(true);
                    flood.start();
                }
                try (RawL2ps bystander = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
                    bystander.register(List.of());
                    // Wait until each attacker has heard nothing for 1 to 2.5 s: each then has a send pending on its
                    // recipient's full socket, to be answered 5 s after its previous answer at the latest.
                    int[] answers = new int[attackers.size()];
                    long[] last = new long[attackers.size()];
                    java.util.Arrays.fill(last, System.nanoTime());
                    long deadline = System.nanoTime() + GUARD.toNanos();
                    while (!allQuietBetween(last, 1_000, 2_500)) {
                        for (int i = 0; i < attackers.size(); i++) {
                            if (attackers.get(i).ws.nextText(Duration.ofMillis(10)) != null) {
                                answers[i]++;
                                last[i] = System.nanoTime();
                            }
                        }
                        assertThat(System.nanoTime()).as("the attackers' sends never stalled").isLessThan(deadline);
                    }
                    for (int n : answers) {
                        assertThat(n).as("sends answered before stalling").isLessThan(60);
                    }
                    bystander.ws.send(Wire.discover("bystander"));
                    assertThat(Json.type(bystander.ws.next("discover_response"))).isEqualTo("discover_response");
                    for (int i = 0; i < attackers.size(); i++) {
                        assertThat(attackers.get(i).ws.buffered())
                                .as("attacker %d's pending send was still unanswered when the bystander got its reply",
                                        i).isZero();
                    }
                    System.out.printf("FIGURE stalled-recipients/order: 2 workers, 2 sends pending on recipients "
                            + "that do not read (after %d and %d answered): a bystander's discover answered before "
                            + "either%n", answers[0], answers[1]);
                }
                // And the stuck sends are answered in the end (the 5 s rule), without the recipients reading.
                Await.until("the attackers' pending sends answered", GUARD,
                        () -> attackers.stream().allMatch(a -> a.ws.buffered() > 0));
            } finally {
                for (RawSocket r : recipients) {
                    r.close();
                }
                attackers.forEach(RawL2ps::close);
            }
        }
    }

    private static boolean allQuietBetween(long[] lastAnswer, long minMs, long maxMs) {
        long now = System.nanoTime();
        for (long t : lastAnswer) {
            long quietMs = (now - t) / 1_000_000;
            if (quietMs < minMs || quietMs > maxMs) {
                return false;
            }
        }
        return true;
    }

    private static String ciphertext() {
        byte[] b = new byte[98_304];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
