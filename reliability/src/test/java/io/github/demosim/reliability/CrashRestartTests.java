package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Outbox;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.ReliableSender;
import io.github.demosim.reliability.support.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed (SIGKILL, in a JVM of its own: no shutdown hook, no graceful close, nothing flushed) in the
 * middle of traffic and restarted on the same H2 file and ports. SDK peers reconnect by themselves; the
 * applications repeat what failed with the same hash. Every message sent, to an online recipient (live, pending
 * acknowledgement) or to an offline one (queued), reaches its application exactly once.
 */
class CrashRestartTests {
    private static final Duration GUARD = Duration.ofSeconds(120);

    @Test
    void aServerKilledMidTrafficAndRestartedLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("demos-im");
        ServerProcess first = ServerProcess.on(db).start();
        int l2ps = first.l2psPort();
        int legacy = first.legacyPort();
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        Identity daveId = Identity.generate();
        Outbox toBob = Outbox.of(bobId, "live", 300);
        Outbox toDave = Outbox.of(daveId, "queued", 100);
        List<Outbox.Item> all = new ArrayList<>(toBob.items());
        all.addAll(toDave.items());
        java.util.Collections.shuffle(all, new java.util.Random(7));
        Ledger bobGot = new Ledger();
        Ledger daveGot = new Ledger();
        ServerProcess second = null;
        try (L2psMessagingPeer bob = Peers.l2ps(first.l2psUri(), bobId, "java-websocket").build();
                L2psMessagingPeer alice = Peers.l2ps(first.l2psUri(), aliceId, "tyrus").build()) {
            bob.onMessage(m -> bobGot.record(m.messageHash()));
            bob.connect().join();
            alice.connect().join();
            ReliableSender sender = new ReliableSender(alice);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sends = all.stream()
                    .<Future<?>>map(i -> senders.submit(() -> sender.send(i.to(), i.encrypted(), i.messageHash())))
                    .toList();
            Await.until("a third of the messages acknowledged", GUARD,
                    () -> sender.acknowledged().size() >= all.size() / 3);
            int beforeKill = sender.acknowledged().size();
            first.kill();
            Await.sleep(300); // the peers find the server gone and start backing off
            second = ServerProcess.on(db).ports(l2ps, legacy).start();
            for (Future<?> f : sends) {
                f.get();
            }
            senders.shutdown();

            try (L2psMessagingPeer dave = Peers.l2ps(second.l2psUri(), daveId, "jdk").build()) {
                dave.onMessage(m -> daveGot.record(m.messageHash()));
                dave.connect().join();
                Await.until(() -> "Dave's queue: " + daveGot.missing(toDave.hashes()).size() + " missing", GUARD,
                        () -> daveGot.hasAll(toDave.hashes()));
                Await.until(() -> "Bob's messages: " + bobGot.missing(toBob.hashes()).size() + " missing", GUARD,
                        () -> bobGot.hasAll(toBob.hashes()));
                Await.until("every message acknowledged at the restarted server", GUARD,
                        () -> acknowledged(alice, bobId) && acknowledged(alice, daveId));
            }
            bobGot.assertExactlyOnce(toBob.hashes());
            daveGot.assertExactlyOnce(toDave.hashes());
            assertThat(sender.acknowledged()).hasSize(all.size());
            System.out.printf("FIGURE crash: %d messages (300 live, 100 queued), SIGKILL after %d acknowledged, "
                    + "%d retried sends, %d + %d received, 0 lost, 0 duplicated%n", all.size(), beforeKill,
                    sender.retries(), bobGot.total(), daveGot.total());
        } finally {
            first.kill();
            if (second != null) {
                second.close();
            }
        }
    }

    private static boolean acknowledged(L2psMessagingPeer sender, Identity recipient) {
        List<StoredMessage> all = sender.historyStream(recipient.ed25519PublicKeyHex(), 200).toList();
        return all.stream().noneMatch(m -> m.status() == io.github.demosim.L2psStatus.QUEUED);
    }
}
