package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Outbox;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.ServerProcess;
import io.github.demosim.tck.net.FaultProxy;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that fail over ({@code docs/failover.md}) between real server processes: one is killed with SIGKILL (no
 * goodbye, no close frame, nothing flushed) under its clients, which move to the other server by themselves.
 */
class FailoverProcessTests {
    private static final Duration GUARD = Duration.ofSeconds(120);

    // SIGKILL of server A: L2PS and legacy peers connect to B, re-register, and what was sent during the outage is
    // delivered once
    @Test
    void peersOfAKilledServerFailOverToTheOtherAndLoseNothingSentDuringTheOutage(@TempDir Path dir) throws Exception {
        ServerProcess a = ServerProcess.on(dir.resolve("a")).start();
        ServerProcess b = ServerProcess.on(dir.resolve("b")).start();
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        List<URI> l2ps = List.of(a.l2psUri(), b.l2psUri());
        List<URI> legacy = List.of(a.legacyUri(), b.legacyUri());
        // carol reaches B through a proxy that refuses her until dave is registered there: a legacy message routed
        // while its target registers can miss both the live path and the offline drain (a server race, noted in
        // docs/failover.md), which this test is not about
        FaultProxy gateToB = FaultProxy.start(b.legacyPort());
        URI bForCarol = URI.create("ws://127.0.0.1:" + gateToB.port() + "/");
        Map<String, AtomicInteger> bobGot = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> daveGot = new ConcurrentHashMap<>();
        List<ConnectionStateChange> aliceStates = new CopyOnWriteArrayList<>();
        List<ConnectionStateChange> carolStates = new CopyOnWriteArrayList<>();
        try (gateToB; L2psMessagingPeer alice = Peers.l2ps(a.l2psUri(), aliceId, "jdk").serverUris(l2ps).build();
                L2psMessagingPeer bob = Peers.l2ps(a.l2psUri(), bobId, "tyrus").serverUris(l2ps).build();
                MessagingPeer carol = Peers.legacy(a.legacyUri(), "carol", aliceId, "java-websocket")
                        .serverUris(List.of(a.legacyUri(), bForCarol)).build();
                MessagingPeer dave = Peers.legacy(a.legacyUri(), "dave", bobId, "jdk").serverUris(legacy).build()) {
            alice.onConnectionStateChange(aliceStates::add);
            carol.onConnectionStateChange(carolStates::add);
            bob.onMessage(m -> bobGot.computeIfAbsent(m.text().orElse("?"), t -> new AtomicInteger()).incrementAndGet());
            dave.onMessage(m -> daveGot.computeIfAbsent(m.text(), t -> new AtomicInteger()).incrementAndGet());
            for (var connect : List.of(alice.connect(), bob.connect(), carol.connect(), dave.connect())) {
                connect.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(alice.connectedServer()).contains(a.l2psUri());
            alice.sendText(bobId.ed25519PublicKeyHex(), bobId.mlKemPublicKey(), "before").get(60, TimeUnit.SECONDS);
            carol.sendText("dave", "before").get(60, TimeUnit.SECONDS);
            Await.until("both messages before the kill delivered", GUARD,
                    () -> bobGot.containsKey("before") && daveGot.containsKey("before"));

            gateToB.refuseNew(true);
            a.kill();
            Await.until("the peers noticed the kill", GUARD, () -> alice.state() != ConnectionState.CONNECTED
                    && carol.state() != ConnectionState.CONNECTED);
            CompletableFuture<SendResult> l2psDuring = alice.sendText(bobId.ed25519PublicKeyHex(),
                    bobId.mlKemPublicKey(), "during");
            CompletableFuture<Void> legacyDuring = carol.sendText("dave", "during");
            Await.until("dave registered on B", GUARD,
                    () -> dave.connectedServer().filter(b.legacyUri()::equals).isPresent());
            gateToB.refuseNew(false);

            SendResult r = l2psDuring.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.outcome()).isIn(SendOutcome.DELIVERED, SendOutcome.QUEUED);
            legacyDuring.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            Await.until("both messages of the outage delivered", GUARD,
                    () -> bobGot.containsKey("during") && daveGot.containsKey("during"));
            for (var peer : List.of(alice.connectedServer(), bob.connectedServer())) {
                assertThat(peer).contains(b.l2psUri());
            }
            assertThat(carol.connectedServer()).contains(bForCarol);
            assertThat(dave.connectedServer()).contains(b.legacyUri());
            assertThat(aliceStates).anySatisfy(c -> {
                assertThat(c.failover()).isTrue();
                assertThat(c.server()).isEqualTo(b.l2psUri());
            });
            assertThat(carolStates).anySatisfy(c -> assertThat(c.failover()).isTrue());
            // re-registered on B: presence there knows both
            assertThat(alice.discover().get(60, TimeUnit.SECONDS)).contains(bobId.ed25519PublicKeyHex());
            assertThat(carol.discover().get(60, TimeUnit.SECONDS)).contains("carol", "dave");

            alice.sendText(bobId.ed25519PublicKeyHex(), bobId.mlKemPublicKey(), "after").get(60, TimeUnit.SECONDS);
            carol.sendText("dave", "after").get(60, TimeUnit.SECONDS);
            Await.until("both messages after the failover delivered", GUARD,
                    () -> bobGot.containsKey("after") && daveGot.containsKey("after"));
            assertThat(bobGot).containsOnlyKeys("before", "during", "after");
            assertThat(daveGot).containsOnlyKeys("before", "during", "after");
            assertThat(bobGot.values()).allMatch(n -> n.get() == 1);
            assertThat(daveGot.values()).allMatch(n -> n.get() == 1);
        } finally {
            a.kill();
            b.close();
        }
    }

    /**
     * Two server processes on one PostgreSQL database. Alice's sends reach server A and are stored, but their
     * acknowledgements never come back (a relay holds them); A is then killed. Alice fails over to B and writes the
     * unanswered sends again with the same hashes: B finds each stored and answers with the first answer, so every
     * send completes, nothing is stored twice, and Bob, who connects later, gets each message exactly once.
     */
    @Test
    @EnabledIfEnvironmentVariable(named = "DEMOS_IM_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
    void unansweredSendsAreResentAfterFailoverAndStoredOnceOnOneDatabase(@TempDir Path dir) throws Exception {
        String database = freshDatabase();
        ServerProcess a = ServerProcess.on(dir.resolve("unused-a")).databaseUrl(database).start();
        ServerProcess b = ServerProcess.on(dir.resolve("unused-b")).databaseUrl(database).start();
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        Outbox early = Outbox.of(bobId, "acknowledged", 20);
        Outbox held = Outbox.of(bobId, "held", 30);
        List<String> all = new ArrayList<>(early.hashes());
        all.addAll(held.hashes());
        Ledger bobGot = new Ledger();
        FaultProxy toA = FaultProxy.start(a.l2psPort());
        URI viaProxy = URI.create("ws://127.0.0.1:" + toA.port() + "/");
        try (toA; L2psMessagingPeer alice = Peers.l2ps(viaProxy, aliceId, "jdk")
                .serverUris(List.of(viaProxy, b.l2psUri())).sendTimeout(GUARD).build()) {
            alice.connect().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.connectedServer()).contains(viaProxy);
            for (Outbox.Item i : early.items()) {
                assertThat(alice.send(i.to(), i.encrypted(), i.messageHash()).get(60, TimeUnit.SECONDS).outcome())
                        .isEqualTo(SendOutcome.QUEUED);
            }
            toA.dropReplies();
            List<CompletableFuture<SendResult>> unanswered = held.items().stream()
                    .map(i -> alice.send(i.to(), i.encrypted(), i.messageHash())).toList();
            Await.until(() -> "A stored the held sends (" + storedFrom(database, aliceId) + " of " + all.size() + ")",
                    GUARD, () -> storedFrom(database, aliceId) == all.size());
            assertThat(unanswered).noneMatch(CompletableFuture::isDone);

            a.kill(); // the proxy's server side ends, and with it the client's connection
            for (int k = 0; k < unanswered.size(); k++) {
                SendResult r = unanswered.get(k).get(GUARD.toSeconds(), TimeUnit.SECONDS);
                assertThat(r.messageHash()).isEqualTo(held.hashes().get(k));
                assertThat(r.outcome()).isEqualTo(SendOutcome.QUEUED);
            }
            assertThat(alice.connectedServer()).contains(b.l2psUri());
            assertThat(storedFrom(database, aliceId)).as("rows stored from alice").isEqualTo(all.size());

            try (L2psMessagingPeer bob = Peers.l2ps(b.l2psUri(), bobId, "tyrus").build()) {
                bob.onMessage(m -> bobGot.record(m.messageHash()));
                bob.connect().get(GUARD.toSeconds(), TimeUnit.SECONDS);
                Await.until(() -> "Bob's queue: " + bobGot.missing(all).size() + " missing", GUARD,
                        () -> bobGot.hasAll(all));
                Await.sleep(500); // a duplicate would arrive right behind the queue
            }
            bobGot.assertExactlyOnce(all);
        } finally {
            a.kill();
            b.close();
        }
    }

    /** A new database on the test server, so that this test shares no rows with the store tests. */
    private static String freshDatabase() throws SQLException {
        String base = System.getenv("DEMOS_IM_TEST_POSTGRES_URL");
        String name = "failover_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        int query = base.indexOf('?', slash);
        return base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    }

    private static int storedFrom(String database, Identity sender) {
        try (Connection c = DriverManager.getConnection(database);
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM l2ps_messages WHERE from_key = ?")) {
            s.setString(1, sender.ed25519PublicKeyHex());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            return -1; // the schema is not there yet
        }
    }
}
