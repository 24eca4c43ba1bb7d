package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Outbox;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.ServerCluster;
import io.github.demosim.reliability.support.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL itself restarted under a cluster of real server processes (docs/cluster.md, "When PostgreSQL
 * restarts"): on a PostgreSQL of the test's own, stopped ({@code pg_ctl -m fast}, as an operator restarting it)
 * and started again while hardened L2PS peers with {@code ack} keep sending. The nodes reconnect (their LISTEN
 * sessions come back: a notice sent after the restart reaches every node) and nothing acknowledged is lost or
 * delivered twice.
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.BIN_VARIABLE, matches = ".+")
class ClusterRestartTests {
    private static final Duration GUARD = Duration.ofSeconds(180);
    private static final int EACH = 15; // messages per pair before, during and after the restart
    private static final int PAIRS = 2;
    /** Where the server's cluster code logs the notices it ignores (at FINE: System.Logger's DEBUG). */
    private static final String CLUSTER_PACKAGE = "io.github.demosim.server.internal.cluster";

    private TestPostgres postgres;
    private ServerCluster cluster;
    private final List<L2psMessagingPeer> peers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        try {
            peers.forEach(L2psMessagingPeer::close);
            if (cluster != null) {
                cluster.close(); // fails if a server process outlives it
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void nodesReconnectAfterPostgresqlRestartsAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        postgres = new TestPostgres();
        cluster = ServerCluster.start(postgres.url(), 2, dir, o -> o.logFine(CLUSTER_PACKAGE));
        // One pair on each node, sender and recipient on the same node, each failing over to the other node.
        Identity[] recipients = new Identity[PAIRS];
        L2psMessagingPeer[] senders = new L2psMessagingPeer[PAIRS];
        L2psMessagingPeer[] receivers = new L2psMessagingPeer[PAIRS];
        Ledger[] got = new Ledger[PAIRS];
        Outbox[][] phases = new Outbox[PAIRS][];
        for (int p = 0; p < PAIRS; p++) {
            recipients[p] = Identity.generate();
            got[p] = new Ledger();
            senders[p] = peer(Identity.generate(), p, "jdk");
            receivers[p] = recipient(recipients[p], p, got[p]);
            phases[p] = new Outbox[] {Outbox.of(recipients[p], "before-" + p, EACH),
                Outbox.of(recipients[p], "during-" + p, EACH), Outbox.of(recipients[p], "after-" + p, EACH)};
        }
        for (L2psMessagingPeer peer : peers) {
            peer.connect().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        }
        List<List<String>> acked = new ArrayList<>();
        AtomicInteger refusals = new AtomicInteger();
        for (int p = 0; p < PAIRS; p++) {
            acked.add(new ArrayList<>());
            settle(senders[p], phases[p][0], send(senders[p], phases[p][0]), acked.get(p), refusals);
        }

        postgres.stop();
        // Sent while the database is away, one every 100 ms. What a node refuses meanwhile (INTERNAL_ERROR: its
        // database is down) the application sends again with the same hash until it is acknowledged, as an
        // application must; the hardened server answers a repeated hash with its first answer.
        List<List<CompletableFuture<SendResult>>> during = new ArrayList<>();
        for (int p = 0; p < PAIRS; p++) {
            during.add(new ArrayList<>());
        }
        for (int k = 0; k < EACH; k++) {
            for (int p = 0; p < PAIRS; p++) {
                Outbox.Item i = phases[p][1].items().get(k);
                during.get(p).add(senders[p].send(i.to(), i.encrypted(), i.messageHash()));
            }
            Await.sleep(100);
        }
        postgres.start();
        for (int p = 0; p < PAIRS; p++) {
            settle(senders[p], phases[p][1], during.get(p), acked.get(p), refusals);
        }

        // LISTEN re-established on every node: a notice sent now reaches each of them. The probe is a notice of
        // a kind no node knows, which each logs as ignored (at DEBUG): nothing but the notice can make a node log
        // it. Sent again until heard: a notice sent before a node listens again is lost, by design.
        StringBuilder probe = new StringBuilder("probe_"); // a notice kind is [a-z_]{1,32}
        UUID.randomUUID().toString().chars().filter(c -> c != '-').limit(16)
                .forEach(c -> probe.append((char) ('a' + Character.digit(c, 16))));
        Await.until(() -> "every node heard the notice " + probe + "\n" + cluster.recentLogs(), GUARD, () -> {
            notice(postgres.url(), probe.toString());
            Await.sleep(500);
            for (int i = 0; i < cluster.size(); i++) {
                if (!cluster.node(i).recentLog().contains(probe)) {
                    return false;
                }
            }
            return true;
        });
        assertThat(cluster.count("SELECT COUNT(*) FROM pg_stat_activity "
                + "WHERE application_name = 'demos-im cluster listen'")).as("LISTEN sessions").isEqualTo(2);
        assertThat(cluster.leases()).as("leases after the restart").isEqualTo(2);

        for (int p = 0; p < PAIRS; p++) {
            settle(senders[p], phases[p][2], send(senders[p], phases[p][2]), acked.get(p), refusals);
        }
        for (int p = 0; p < PAIRS; p++) {
            int pair = p;
            assertThat(acked.get(p)).as("pair %d: every message acknowledged in the end", p).hasSize(3 * EACH);
            // every acknowledged message is stored: the sender's history with the recipient holds it
            Set<String> history = senders[p].historyStream(recipients[p].ed25519PublicKeyHex(), 50)
                    .map(m -> m.messageHash()).collect(Collectors.toSet());
            assertThat(history).as("pair %d: history holds every acknowledged message", p).containsAll(acked.get(p));
            // and reaches the recipient: live; or, where a node closed its connections while the database was away
            // and sender and recipient came back on different nodes, from its queue when it connects again
            if (!within(Duration.ofSeconds(30), () -> got[pair].hasAll(acked.get(pair)))) {
                System.out.println("ClusterRestartTests: pair " + p + ": recipient reconnects for its queue");
                receivers[p].close();
                receivers[p] = recipient(recipients[p], p, got[p]);
                receivers[p].connect().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            }
            Await.until(() -> "pair " + pair + ": " + got[pair].missing(acked.get(pair)).size()
                    + " acknowledged messages not delivered\n" + cluster.recentLogs(), GUARD,
                    () -> got[pair].hasAll(acked.get(pair)));
        }
        Await.sleep(500); // a duplicate would come right behind
        for (int p = 0; p < PAIRS; p++) {
            System.out.printf("ClusterRestartTests: pair %d: %d sent, %d acknowledged, %d delivered (%d distinct)%n",
                    p, 3 * EACH, acked.get(p).size(), got[p].total(), got[p].distinct());
            got[p].assertExactlyOnce(acked.get(p)); // 0 lost, 0 twice, nothing else
        }
        System.out.println("ClusterRestartTests: " + refusals.get() + " refusals while the database was away "
                + "(each sent again with its hash)");
    }

    private L2psMessagingPeer peer(Identity id, int node, String transport) {
        L2psMessagingPeer peer = Peers.l2ps(cluster.node(node).l2psUri(), id, transport)
                .serverUris(cluster.l2psUris(node)).sendTimeout(GUARD).requestTimeout(Duration.ofSeconds(60)).build();
        peers.add(peer);
        return peer;
    }

    private L2psMessagingPeer recipient(Identity id, int node, Ledger ledger) {
        L2psMessagingPeer r = peer(id, node, "tyrus");
        r.onMessage(m -> ledger.record(m.messageHash()));
        return r;
    }

    /** Sends every message of the outbox; the futures in outbox order. */
    private static List<CompletableFuture<SendResult>> send(L2psMessagingPeer sender, Outbox outbox) {
        return outbox.items().stream().map(i -> sender.send(i.to(), i.encrypted(), i.messageHash())).toList();
    }

    /**
     * Waits for every send; a refused one (counted) is sent again with the same hash until it is acknowledged, so
     * in the end every message of the outbox is in {@code acked}.
     */
    private static void settle(L2psMessagingPeer sender, Outbox outbox, List<CompletableFuture<SendResult>> sends,
            List<String> acked, AtomicInteger refusals) throws Exception {
        long deadline = System.nanoTime() + GUARD.toNanos();
        for (int k = 0; k < sends.size(); k++) {
            Outbox.Item i = outbox.items().get(k);
            CompletableFuture<SendResult> f = sends.get(k);
            while (true) {
                try {
                    assertThat(f.get(GUARD.toSeconds(), TimeUnit.SECONDS).messageHash()).isEqualTo(i.messageHash());
                    acked.add(i.messageHash());
                    break;
                } catch (ExecutionException e) {
                    if (refusals.incrementAndGet() <= 3) {
                        System.out.println("ClusterRestartTests: a send was refused: " + e.getCause());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("still refused after " + GUARD.toSeconds() + " s", e);
                    }
                    Await.sleep(250);
                    f = sender.send(i.to(), i.encrypted(), i.messageHash());
                }
            }
        }
    }

    private static boolean within(Duration d, BooleanSupplier condition) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Await.sleep(50);
        }
        return true;
    }

    private static void notice(String url, String payload) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("NOTIFY demos_im_cluster, '" + payload + "'");
        } catch (Exception e) {
            // the database is not back yet: the next round sends it again
        }
    }
}
