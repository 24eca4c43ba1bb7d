package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ConnectionState;
import io.github.demosim.Identity;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.TextMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.ServerProcess;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The legacy protocol across cluster nodes (docs/cluster.md, "The legacy protocol"): in-JVM servers on one PostgreSQL
 * database (the one of .ci/with-postgres), a real server process for the node that dies, real sockets and real
 * {@link MessagingPeer} clients. Waits are hang guards, never timing assertions: a notice between nodes takes its
 * trip, so what another node sees is awaited.
 */
@EnabledIfEnvironmentVariable(named = ServerTestBase.POSTGRES_URL, matches = "jdbc:postgresql:.+")
class LegacyClusterTests {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private final String url = System.getenv(ServerTestBase.POSTGRES_URL);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        ServerTestBase.dropTables(url);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private DemosImServer node() {
        DemosImServer s = DemosImServer.newBuilder().disableL2ps().legacyPort(0).databaseUrl(url).start();
        opened.add(s);
        return s;
    }

    private MessagingPeer peer(URI server, String id, Identity identity) {
        MessagingPeer p = MessagingPeer.newBuilder().serverUri(server).clientId(id).identity(identity)
                .transport("java-websocket").codec("jackson").requestTimeout(Duration.ofSeconds(30))
                .reconnectPolicy(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 100, 0.2))
                .build();
        opened.add(p);
        return p;
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

    private static <T> T next(LinkedBlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).as("an event within %d s", BOUND.toSeconds()).isNotNull();
        return t;
    }

    // legacy-and-crypto.md §A.3 discover (every registered id), §A.6 request_public_key, §A.8 online target: a
    // message to a peer on another node is delivered live, in order, once each
    @Test
    void peersOnTwoNodesDiscoverLookUpAndMessageEachOtherLive() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        Identity bobIdentity = Identity.generate();
        MessagingPeer alice = peer(a.legacyUri(), "alice", Identity.generate());
        MessagingPeer bob = peer(b.legacyUri(), "bob", bobIdentity);
        LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> queued = new LinkedBlockingQueue<>();
        bob.onMessage(toBob::add);
        alice.onMessageQueued(e -> queued.add(e.targetId()));
        done(alice.connect());
        done(bob.connect());

        await("node A lists bob, node B alice", () -> done(alice.discover()).contains("bob")
                && done(bob.discover()).contains("alice"));
        assertThat(done(alice.discover())).containsExactlyInAnyOrder("alice", "bob");
        assertThat(done(alice.requestPublicKey("bob"))).isEqualTo(bobIdentity.mlKemPublicKey());

        int n = 60;
        for (int i = 0; i < n; i++) {
            done(alice.sendText("bob", "live " + i));
        }
        for (int i = 0; i < n; i++) {
            TextMessage m = next(toBob);
            assertThat(m.text()).isEqualTo("live " + i);
            assertThat(m.from()).isEqualTo("alice");
        }
        assertThat(toBob.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
        assertThat(queued).as("an online target's sender is told nothing (§A.8)").isEmpty();
    }

    // §A.8 offline storage and delivery: stored on the node the sender uses, delivered in order, once, on whichever
    // node the recipient registers
    @Test
    void theOfflineQueueDrainsOnTheNodeTheRecipientConnectsTo() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        Identity daveIdentity = Identity.generate();
        MessagingPeer alice = peer(a.legacyUri(), "alice", Identity.generate());
        LinkedBlockingQueue<String> queued = new LinkedBlockingQueue<>();
        alice.onMessageQueued(e -> queued.add(e.targetId()));
        done(alice.connect());
        int n = 30;
        for (int i = 0; i < n; i++) {
            done(alice.sendText("dave", daveIdentity.mlKemPublicKey(), "stored " + i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(next(queued)).isEqualTo("dave");
        }
        MessagingPeer dave = peer(b.legacyUri(), "dave", daveIdentity);
        LinkedBlockingQueue<TextMessage> toDave = new LinkedBlockingQueue<>();
        dave.onMessage(toDave::add);
        done(dave.connect());
        for (int i = 0; i < n; i++) {
            assertThat(next(toDave).text()).isEqualTo("stored " + i);
        }
        assertThat(toDave.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
        // and live afterwards, across nodes, in order after the queue
        done(alice.sendText("dave", "after"));
        assertThat(next(toDave).text()).isEqualTo("after");
    }

    // §A.8 Disconnect: peer_disconnected reaches the peers of every node; and a registration of the id on another
    // node takes it over: the old connection is closed (4000, as an L2PS takeover), its peers hear no departure
    @Test
    void departuresAndTakeoversCrossNodes() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        MessagingPeer alice = peer(a.legacyUri(), "alice", Identity.generate());
        LinkedBlockingQueue<String> gone = new LinkedBlockingQueue<>();
        alice.onPeerLeft(gone::add);
        done(alice.connect());

        LegacyPeer carol = new LegacyPeer(WsClient.connect(b.legacyUri()), LegacyPeer.newId());
        opened.add(carol);
        carol.register();
        await("node A lists carol", () -> done(alice.discover()).contains(carol.clientId));
        carol.close();
        assertThat(next(gone)).isEqualTo(carol.clientId);
        await("carol gone from node A's discover", () -> done(alice.discover()).equals(List.of("alice")));

        String bob = LegacyPeer.newId();
        LegacyPeer first = new LegacyPeer(WsClient.connect(a.legacyUri()), bob);
        opened.add(first);
        first.register();
        await("node B lists bob", () -> discoverOn(b.legacyUri()).contains(bob));
        LegacyPeer second = new LegacyPeer(WsClient.connect(b.legacyUri()), bob);
        opened.add(second);
        second.register();
        assertThat(first.ws.awaitClose()).isEqualTo(4000);
        second.sync();
        assertThat(done(alice.discover())).contains(bob);
        assertThat(gone.poll(500, TimeUnit.MILLISECONDS)).as("a takeover is no departure").isNull();
        // a message from node A reaches the connection on node B
        JsonValue body = Wire.obj("algorithm", "ml-kem-aes", "serializedCipherText", "AA==",
                "serializedEncryptedData", "AA==");
        try (LegacyPeer sender = new LegacyPeer(WsClient.connect(a.legacyUri()), LegacyPeer.newId())) {
            sender.register();
            sender.send(bob, body);
            JsonValue m = second.ws.await("message");
            assertThat(Wire.str(m, "payload.fromId")).isEqualTo(sender.clientId);
        }
    }

    private static List<String> discoverOn(URI server) {
        try (WsClient ws = WsClient.connect(server)) {
            ws.send(Wire.legacy("discover", Wire.obj()));
            return Wire.strings(ws.next("discover"), "payload.peers");
        }
    }

    // §A.8: 100 stored offline messages per sender; a drain lowers the sender's counter, also when the recipient
    // drains on another node (the counter is kept by the sender's node)
    @Test
    void aDrainOnAnotherNodeFreesTheSendersOfflineQuota() throws Exception {
        DemosImServer a = node();
        DemosImServer b = node();
        JsonValue body = Wire.obj("algorithm", "ml-kem-aes", "serializedCipherText", "AA==",
                "serializedEncryptedData", "AA==");
        LegacyPeer sender = new LegacyPeer(WsClient.connect(a.legacyUri()), LegacyPeer.newId());
        opened.add(sender);
        sender.register();
        String target = LegacyPeer.newId();
        for (int i = 0; i < 100; i++) {
            sender.send(target, body);
            assertThat(Wire.type(sender.ws.next())).isEqualTo("message_queued");
        }
        sender.send(target, body);
        assertThat(Wire.str(sender.ws.next("error"), "payload.details")).startsWith("Offline message limit reached");

        LegacyPeer recipient = new LegacyPeer(WsClient.connect(b.legacyUri()), target);
        opened.add(recipient);
        recipient.register();
        assertThat(recipient.sync()).hasSize(100);
        await("the sender's node frees its quota", () -> {
            sender.send(LegacyPeer.newId(), body);
            return "message_queued".equals(Wire.type(sender.ws.next()));
        });
    }

    // a node that dies without goodbye (SIGKILL): its peers are reported gone on the other nodes once its lease is
    // reaped (docs/cluster.md: within 14 s by default; its lease expires after 3 s here)
    @Test
    void theDeadNodesPeersAreReportedGoneWhenItsLeaseIsReaped() throws Exception {
        DemosImServer a = node();
        ServerProcess.Started c = ServerProcess.startWith(url, List.of("-Ddemos.im.cluster.heartbeatMs=300",
                "-Ddemos.im.cluster.expiryMs=3000"));
        try {
            MessagingPeer alice = peer(a.legacyUri(), "alice", Identity.generate());
            LinkedBlockingQueue<String> gone = new LinkedBlockingQueue<>();
            alice.onPeerLeft(gone::add);
            done(alice.connect());
            MessagingPeer carol = peer(c.legacyUri(), "carol", Identity.generate());
            done(carol.connect());
            await("node A lists carol", () -> done(alice.discover()).contains("carol"));
            c.kill();
            assertThat(next(gone)).isEqualTo("carol");
            assertThat(done(alice.discover())).containsExactly("alice");
            assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
        } finally {
            c.kill();
        }
    }
}
