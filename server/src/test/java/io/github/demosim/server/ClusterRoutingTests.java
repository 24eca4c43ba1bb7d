package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psStatus;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.DatabaseLocks;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerProcess;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * L2PS across the nodes of a cluster (docs/cluster.md): servers on one PostgreSQL database, real sockets, real
 * {@link L2psMessagingPeer} clients (and raw connections where a client would hide what is checked). In-JVM servers,
 * and a server process for the node that is killed (SIGKILL). The lease is shortened (300 ms heartbeat, 3 s expiry)
 * so a dead node is reaped within seconds.
 */
@EnabledIfEnvironmentVariable(named = ServerTestBase.POSTGRES_URL, matches = "jdbc:postgresql:.+")
class ClusterRoutingTests {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400),
            1000, 0.2);
    private static final List<String> SHORT_LEASE = List.of("-Ddemos.im.cluster.heartbeatMs=300",
            "-Ddemos.im.cluster.expiryMs=3000");

    private final String url = System.getenv(ServerTestBase.POSTGRES_URL);
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        ServerTestBase.dropTables(url);
        System.setProperty("demos.im.cluster.heartbeatMs", "300");
        System.setProperty("demos.im.cluster.expiryMs", "3000");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        System.clearProperty("demos.im.cluster.heartbeatMs");
        System.clearProperty("demos.im.cluster.expiryMs");
    }

    private DemosImServer node() {
        DemosImServer s = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseUrl(url).start();
        open.add(s);
        return s;
    }

    private L2psMessagingPeer peer(Identity identity, URI... servers) {
        L2psMessagingPeer p = L2psMessagingPeer.newBuilder().serverUris(List.of(servers))
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).identity(identity).transport("tyrus").codec("jackson")
                .reconnectPolicy(FAST).sendTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60))
                .build();
        open.add(p);
        return p;
    }

    /** A raw connection to a node, closed after the test. */
    private L2psPeer raw(URI node, Ed25519Key key) {
        L2psPeer p = L2psPeer.connect(node, key);
        open.add(p);
        return p;
    }

    private L2psPeer raw(URI node) {
        return raw(node, Ed25519Key.random());
    }

    private static <T> T done(CompletableFuture<T> f) throws Exception {
        return f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private long unacknowledged() throws Exception {
        return count("SELECT COUNT(*) FROM l2ps_messages WHERE delivery IN ('queued', 'pending_ack')");
    }

    private static List<String> texts(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    // l2ps.md §5.4 and §6.1 across nodes: live to a recipient on another node, and its offline queue drained on
    // whichever node it connects to; per-pair order and exactly once with ack (hardened)
    @Test
    void messagesReachARecipientOnAnotherNodeLiveAndOfflineInOrderExactlyOnce() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        Identity bobId = Identity.generate();
        L2psMessagingPeer alice = peer(Identity.generate(), a.l2psUri());
        L2psMessagingPeer bob = peer(bobId, b.l2psUri());
        List<String> bobGot = new CopyOnWriteArrayList<>();
        bob.onMessage(m -> bobGot.add(m.text().orElse("?")));
        done(alice.connect());
        done(bob.connect());
        await("alice (on A) discovers bob (on B)", () -> done(alice.discover()).contains(bob.publicKey()));

        List<CompletableFuture<SendResult>> live = new ArrayList<>();
        for (String t : texts("live-", 60)) {
            live.add(alice.sendText(bob.publicKey(), t));
        }
        for (CompletableFuture<SendResult> f : live) {
            assertThat(done(f).outcome()).as("online on another node: message_sent").isEqualTo(SendOutcome.DELIVERED);
        }
        await("bob got the 60", () -> bobGot.size() >= 60);
        assertThat(bobGot).containsExactlyElementsOf(texts("live-", 60));

        bob.close();
        await("alice hears bob left", () -> !alice.onlinePeers().contains(bob.publicKey()));
        for (String t : texts("offline-", 25)) {
            assertThat(done(alice.sendText(bob.publicKey(), t)).outcome()).isEqualTo(SendOutcome.QUEUED);
        }
        L2psMessagingPeer bobOnA = peer(bobId, a.l2psUri()); // the queue drains on whichever node he connects to
        List<String> bobOnAGot = new CopyOnWriteArrayList<>();
        bobOnA.onMessage(m -> bobOnAGot.add(m.text().orElse("?")));
        done(bobOnA.connect());
        await("the 25 queued reach bob on A", () -> bobOnAGot.size() >= 25);
        assertThat(bobOnAGot).containsExactlyElementsOf(texts("offline-", 25));

        await("every message acknowledged", () -> unacknowledged() == 0);
        Thread.sleep(500); // nothing delivered twice meanwhile
        assertThat(bobGot).hasSize(60);
        assertThat(bobOnAGot).hasSize(25);
        assertThat(count("SELECT COUNT(*) FROM l2ps_messages")).isEqualTo(85);
    }

    // three nodes: two senders on two nodes, one recipient on the third; per sender→recipient order and exactly
    // once with ack; message_status pushed from the pipeline's leader (the recipient's node) to the senders' nodes
    @Test
    void threeNodesKeepPerPairOrderAndPushStatusToSendersOnOtherNodes() throws Exception {
        DemosImServer a = pipelineNode();
        await("A leads the pipeline", () -> count("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity s "
                + "ON s.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND s.application_name = 'demos-im cluster leader of L2PS pipeline'") == 1);
        DemosImServer b = pipelineNode();
        DemosImServer c = pipelineNode();
        L2psMessagingPeer bob = peer(Identity.generate(), a.l2psUri());
        L2psMessagingPeer alice = peer(Identity.generate(), b.l2psUri());
        L2psMessagingPeer carol = peer(Identity.generate(), c.l2psUri());
        List<String> fromAlice = new CopyOnWriteArrayList<>();
        List<String> fromCarol = new CopyOnWriteArrayList<>();
        bob.onMessage(m -> (m.from().equals(alice.publicKey()) ? fromAlice : fromCarol).add(m.text().orElse("?")));
        java.util.Map<String, L2psStatus> aliceStatus = new java.util.concurrent.ConcurrentHashMap<>();
        alice.onMessageStatus(u -> aliceStatus.merge(u.messageHash(), u.status(),
                (x, y) -> y.hasReached(x) ? y : x));
        done(bob.connect());
        done(alice.connect());
        done(carol.connect());
        await("both see bob", () -> done(alice.discover()).contains(bob.publicKey())
                && done(carol.discover()).contains(bob.publicKey()));

        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // interleaved, pipelined: the two senders' messages cross on bob's node
            sends.add(alice.sendText(bob.publicKey(), "alice-" + i));
            sends.add(carol.sendText(bob.publicKey(), "carol-" + i));
        }
        String lastOfAlice = null;
        for (int i = 0; i < sends.size(); i++) {
            SendResult r = done(sends.get(i));
            assertThat(r.outcome()).isEqualTo(SendOutcome.DELIVERED);
            if (i % 2 == 0) {
                lastOfAlice = r.messageHash();
            }
        }
        await("bob got all 80", () -> fromAlice.size() + fromCarol.size() >= 80);
        assertThat(fromAlice).containsExactlyElementsOf(texts("alice-", 40));
        assertThat(fromCarol).containsExactlyElementsOf(texts("carol-", 40));
        String last = lastOfAlice;
        await("alice (on B) is told her message was confirmed by A's pipeline",
                () -> aliceStatus.get(last) == L2psStatus.L2PS_CONFIRMED);
        await("every message acknowledged", () -> unacknowledged() == 0);
        Thread.sleep(500);
        assertThat(fromAlice.size() + fromCarol.size()).isEqualTo(80);
    }

    private DemosImServer pipelineNode() {
        DemosImServer s = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseUrl(url)
                .batchInterval(Duration.ofMillis(200)).finalityDelay(Duration.ofMillis(200)).start();
        open.add(s);
        return s;
    }

    // l2ps.md §8 and §5.3 across nodes: peer_joined/discover/request_public_key see a peer on another node; the same
    // key registering on another node takes over (the old connection closed, no peer_left), and leaving is heard
    @Test
    void presenceAndTakeoverAcrossNodes() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        L2psMessagingPeer alice = peer(Identity.generate(), a.l2psUri());
        List<String> joined = new CopyOnWriteArrayList<>();
        List<String> left = new CopyOnWriteArrayList<>();
        alice.onPeerJoined(joined::add);
        alice.onPeerLeft(left::add);
        done(alice.connect());

        Ed25519Key carolKey = Ed25519Key.random();
        L2psPeer carolOnB = raw(b.l2psUri(), carolKey);
        JsonValue registered = carolOnB.register();
        assertThat(Wire.strings(registered, "payload.onlinePeers")).as("registered lists peers of every node")
                .contains(alice.publicKey());
        await("alice hears carol joined on B", () -> joined.contains(carolKey.publicKeyHex()));
        assertThat(done(alice.discover())).contains(carolKey.publicKeyHex());
        assertThat(done(alice.requestPublicKey(carolKey.publicKeyHex())).publicKey())
                .contains(carolKey.publicKeyHex());

        L2psPeer carolOnA = raw(a.l2psUri(), carolKey);
        carolOnA.register();
        assertThat(carolOnB.ws.awaitClose()).as("B closes its connection of the key taken over").isEqualTo(4000);
        assertThat(done(alice.discover())).contains(carolKey.publicKeyHex());
        Thread.sleep(500);
        assertThat(left).as("a takeover is no leaving").doesNotContain(carolKey.publicKeyHex());

        carolOnA.close();
        await("alice hears carol left", () -> left.contains(carolKey.publicKeyHex()));
        await("nobody lists carol", () -> !done(alice.discover()).contains(carolKey.publicKeyHex()));
    }

    // The race ClusterKillTests found, a sender and its recipient failing over to one node together: a message to
    // bob decided on A while A still places him on B commits after bob registered on A and his drain read the
    // queue; the live messages that follow on A must not overtake it (l2ps.md §6.1). Named to B, it used to wait
    // for B to pass it on (or, B dead, for B's lease to be reaped). The test holds its insert (DatabaseLocks) until
    // bob registered on A and the later messages were sent.
    @Test
    void aMessageNamedToTheNodeItsRecipientLeftIsNotOvertakenWhereTheRecipientWent() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        L2psPeer alice = raw(a.l2psUri());
        alice.register();
        Ed25519Key bobKey = Ed25519Key.random();
        L2psPeer bobOnB = raw(b.l2psUri(), bobKey);
        bobOnB.register();
        await("A places bob on B", () -> Wire.strings(alice.discover(), "payload.peers")
                .contains(bobKey.publicKeyHex()));
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hashes.add(L2psPeer.newHash());
        }
        L2psPeer bobOnA = raw(a.l2psUri(), bobKey);
        try (Connection insertWaits = DriverManager.getConnection(url)) {
            insertWaits.setAutoCommit(false);
            DatabaseLocks.holdInsertOf(insertWaits, hashes.get(0));
            alice.ws.send(L2psPeer.sendFrame(bobKey.publicKeyHex(), "bTA=", hashes.get(0))); // named to B
            DatabaseLocks.awaitWaiting(url, "INSERT INTO l2ps_messages");
            bobOnA.register(); // takes bob over from B; the drain reads the queue without the first message
            for (int i = 1; i < hashes.size(); i++) {
                alice.ws.send(L2psPeer.sendFrame(bobKey.publicKeyHex(), "bTE=", hashes.get(i))); // live on A
            }
            Thread.sleep(200); // lets A decide them before the first commits (slower: no race, same outcome)
            insertWaits.rollback();
        }
        for (int i = 0; i < hashes.size(); i++) {
            assertThat(Wire.type(alice.ws.awaitFrame(f -> List.of("message_sent", "message_queued", "error")
                    .contains(Wire.type(f))))).isEqualTo("message_sent");
        }
        List<String> arrived = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            arrived.add(Wire.str(bobOnA.ws.await("message"), "payload.messageHash"));
        }
        assertThat(arrived).as("bob's messages on A, in the order they arrived").containsExactlyElementsOf(hashes);
    }

    // l2ps.md §6.2 in a cluster: a sender's offline quota is kept by its own node; drained on another node, the
    // queue still frees it (the recipient's node tells the sender's)
    @Test
    void aSendersOfflineQuotaIsFreedWhenItsQueueDrainsOnAnotherNode() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        L2psPeer alice = raw(a.l2psUri());
        alice.register();
        Ed25519Key bobKey = Ed25519Key.random();
        for (int i = 0; i < 200; i++) {
            assertThat(Wire.type(alice.send(bobKey.publicKeyHex(), "bXNn" + i))).isEqualTo("message_queued");
        }
        JsonValue refused = alice.send(bobKey.publicKeyHex(), "b3Zlcg");
        assertThat(Wire.str(refused, "payload.message")).isEqualTo("Offline message limit reached");

        L2psPeer bobOnB = raw(b.l2psUri(), bobKey);
        bobOnB.register();
        for (int i = 0; i < 200; i++) {
            bobOnB.ws.await("message");
        }
        bobOnB.close();
        await("B's drain freed alice's quota on A", () -> {
            JsonValue r = alice.send(bobKey.publicKeyHex(), "YWdhaW4");
            return "message_queued".equals(Wire.type(r));
        });
    }

    // l2ps.md §6.2 in a cluster: the per-sender counter lives on the sender's node; a sender that moves to another
    // node (here: registers there, taking its key over) brings the messages it still has queued, so hopping nodes
    // does not start it again from 0 (docs/cluster.md)
    @Test
    void aSenderMovingToAnotherNodeKeepsItsOfflineQuota() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        Ed25519Key aliceKey = Ed25519Key.random();
        L2psPeer aliceOnA = raw(a.l2psUri(), aliceKey);
        aliceOnA.register();
        String bob = Ed25519Key.random().publicKeyHex();
        for (int i = 0; i < 200; i++) {
            assertThat(Wire.type(aliceOnA.send(bob, "bXNn" + i))).isEqualTo("message_queued");
        }
        L2psPeer aliceOnB = raw(b.l2psUri(), aliceKey);
        aliceOnB.register();
        JsonValue refused = aliceOnB.send(bob, "aG9w");
        assertThat(Wire.str(refused, "payload.message")).isEqualTo("Offline message limit reached");
    }

    // docs/cluster.md "The notice path": a notice a node missed (its LISTEN session was cut) delays, never loses:
    // after LISTEN is back the node claims what is queued for its peers
    @Test
    void aRowWhoseNoticeWasMissedIsDeliveredWhenTheNodeListensAgain() throws Exception {
        node();
        DemosImServer b = node();
        L2psPeer bobOnB = raw(b.l2psUri());
        bobOnB.register(L2psPeer.UID, "features", List.of("ack"));
        String hash = L2psPeer.newHash();
        // stored for bob, online on B, as a sender on another node stores it, but with its notice lost
        try (io.github.demosim.server.internal.store.JdbcMessageStore store =
                io.github.demosim.server.internal.store.JdbcMessageStore.open(url, null, null, 1)) {
            store.insert(new io.github.demosim.server.internal.store.L2psMessageRow(java.util.UUID.randomUUID()
                    .toString(), Ed25519Key.random().publicKeyHex(), bobOnB.pk(), L2psPeer.UID, hash,
                    "{\"ciphertext\":\"bG9zdA\",\"nonce\":\"AAECAwQFBgcICQoL\"}", null, System.currentTimeMillis(),
                    io.github.demosim.server.internal.store.DeliveryState.QUEUED, false,
                    io.github.demosim.server.internal.store.PipelineState.PENDING, null, null));
        }
        Thread.sleep(300);
        assertThat(bobOnB.ws.drainNow()).as("no notice named it").isEmpty();
        count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = 'demos-im cluster listen'");
        JsonValue m = bobOnB.ws.await("message");
        assertThat(Wire.str(m, "payload.messageHash")).isEqualTo(hash);
        assertThat(count("SELECT COUNT(*) FROM l2ps_messages WHERE delivery = 'pending_ack'")).isEqualTo(1);
    }

    // a node killed without goodbye: when its lease is reaped its peers are reported gone (peer_left) on the other
    // nodes, and what it had delivered without an acknowledgement is redelivered at the next registration anywhere
    @Test
    void aKilledNodesPeersAreReportedGoneAndItsUnacknowledgedDeliveriesRedelivered() throws Exception {
        DemosImServer a = node();
        ServerProcess.Started c = ServerProcess.startWith(url, SHORT_LEASE);
        open.add(() -> c.kill());
        L2psMessagingPeer alice = peer(Identity.generate(), a.l2psUri());
        List<String> left = new CopyOnWriteArrayList<>();
        alice.onPeerLeft(left::add);
        done(alice.connect());

        // dave acknowledges nothing: his deliveries stay pending_ack
        Ed25519Key daveKey = Ed25519Key.random();
        L2psPeer daveOnC = raw(c.l2psUri(), daveKey);
        daveOnC.register(L2psPeer.UID, "features", List.of("ack"));
        await("alice sees dave on C", () -> done(alice.discover()).contains(daveKey.publicKeyHex()));
        L2psPeer eve = raw(a.l2psUri());
        eve.register();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String hash = L2psPeer.newHash();
            assertThat(Wire.type(eve.send(daveKey.publicKeyHex(), "Y2lwaGVy" + i, hash))).isEqualTo("message_sent");
            hashes.add(hash);
        }
        for (String h : hashes) {
            assertThat(Wire.str(daveOnC.ws.await("message"), "payload.messageHash")).isEqualTo(h);
        }

        c.kill();
        await("alice hears dave left when C's lease is reaped", () -> left.contains(daveKey.publicKeyHex()));
        assertThat(count("SELECT COUNT(*) FROM cluster_nodes")).isEqualTo(1);

        L2psPeer daveOnA = raw(a.l2psUri(), daveKey);
        daveOnA.register(L2psPeer.UID, "features", List.of("ack"));
        for (String h : hashes) { // redelivered, in order, from the queue (offline: true)
            JsonValue m = daveOnA.ws.await("message");
            assertThat(Wire.str(m, "payload.messageHash")).isEqualTo(h);
            assertThat(Wire.bool(m, "payload.offline")).isTrue();
        }
    }
}
