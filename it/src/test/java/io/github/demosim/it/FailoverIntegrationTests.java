package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.Await.nextMatching;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.ErrorCode;
import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.SendResult;
import io.github.demosim.TextMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import io.github.demosim.tck.net.FaultProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that fail over between servers ({@code docs/failover.md}): two real servers on loopback sockets, one of
 * them stopped under its clients. Each server has its own H2 database here, so what one stored the other does not
 * know; the re-send of unanswered sends across servers of one database is tested against PostgreSQL in the
 * reliability module ({@code FailoverProcessTests}).
 */
class FailoverIntegrationTests {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 60, 0.2);

    @TempDir
    Path dir;

    private DemosImServer start(String name) {
        return DemosImServer.newBuilder().mode(ServerMode.HARDENED).l2psPort(0).legacyPort(0)
                .databaseFile(dir.resolve(name)).start();
    }

    // Requests made during an outage wait for the failover; on a loaded machine that took over 10 s (the default
    // request timeout) once, and these tests are about where messages go, not how fast, so the deadlines are wide.
    private static L2psMessagingPeer l2ps(String transport, Identity identity, URI... servers) {
        return L2psMessagingPeer.newBuilder().serverUris(List.of(servers)).l2psUid(DemosImServer.DEFAULT_L2PS_UID)
                .identity(identity).transport(transport).codec("jackson").reconnectPolicy(FAST)
                .sendTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60)).build();
    }

    private static MessagingPeer legacy(String transport, String id, Identity identity, URI... servers) {
        return MessagingPeer.newBuilder().serverUris(List.of(servers)).clientId(id).identity(identity)
                .transport(transport).codec("jackson").reconnectPolicy(FAST).requestTimeout(Duration.ofSeconds(60))
                .build();
    }

    // server A stops: both peers fail over to B, re-register there, re-synchronise presence, say so in a
    // connection event, and a message sent during the outage is delivered once
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void l2psPeersFailOverToTheSecondServerAndDeliverWhatWasSentDuringTheOutageOnce(String transport) {
        DemosImServer a = start("a");
        URI aUri = a.l2psUri();
        try (DemosImServer b = start("b");
                L2psMessagingPeer alice = l2ps(transport, ALICE, a.l2psUri(), b.l2psUri());
                L2psMessagingPeer bob = l2ps(transport, BOB, a.l2psUri(), b.l2psUri())) {
            LinkedBlockingQueue<ConnectionStateChange> aliceStates = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<ConnectionStateChange> bobStates = new LinkedBlockingQueue<>();
            alice.onConnectionStateChange(aliceStates::add);
            bob.onConnectionStateChange(bobStates::add);
            Map<String, AtomicInteger> bobGot = new ConcurrentHashMap<>();
            LinkedBlockingQueue<ReceivedMessage> toBob = new LinkedBlockingQueue<>();
            bob.onMessage(m -> {
                bobGot.computeIfAbsent(m.text().orElse("?"), t -> new AtomicInteger()).incrementAndGet();
                toBob.add(m);
            });
            done(alice.connect());
            done(bob.connect());
            assertThat(alice.connectedServer()).contains(a.l2psUri());
            assertThat(nextMatching(aliceStates, s -> s.current() == ConnectionState.CONNECTED).failover()).isFalse();
            done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "before"));
            assertThat(next(toBob).text()).contains("before");

            a.close();
            ConnectionStateChange lost = nextMatching(aliceStates, s -> s.current() == ConnectionState.RECONNECTING);
            assertThat(lost.server()).isEqualTo(aUri);
            assertThat(lost.cause()).isPresent();
            // written while no server has this peer: it waits in the outbox and goes to B after re-registration
            CompletableFuture<SendResult> during = alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(),
                    "during the outage");

            ConnectionStateChange back = nextMatching(aliceStates, s -> s.current() == ConnectionState.CONNECTED);
            assertThat(back.failover()).isTrue();
            assertThat(back.server()).isEqualTo(b.l2psUri());
            assertThat(alice.connectedServer()).contains(b.l2psUri());
            assertThat(nextMatching(bobStates, s -> s.current() == ConnectionState.CONNECTED && s.failover()).server())
                    .isEqualTo(b.l2psUri());
            assertThat(done(during).messageHash()).isNotEmpty();
            assertThat(nextMatching(toBob, m -> m.text().filter("during the outage"::equals).isPresent())).isNotNull();

            // registered on B: its discover sees both, and presence was re-synchronised there
            assertThat(done(alice.discover())).contains(ALICE.ed25519PublicKeyHex(), BOB.ed25519PublicKeyHex());
            assertThat(alice.onlinePeers()).contains(BOB.ed25519PublicKeyHex());
            done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "after"));
            nextMatching(toBob, m -> m.text().filter("after"::equals).isPresent());
            assertThat(bobGot).containsOnlyKeys("before", "during the outage", "after");
            assertThat(bobGot.values()).allMatch(n -> n.get() == 1);
        } finally {
            a.close();
        }
    }

    // Alice reaches B through a proxy that refuses her until Bob is registered there: a legacy message routed while
    // its target registers can miss both the live path and the target's offline drain (a server race, noted in
    // docs/failover.md), which this test is not about
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void legacyPeersFailOverToTheSecondServerAndDeliverWhatWasSentDuringTheOutageOnce(String transport) {
        DemosImServer a = start("a");
        DemosImServer b = start("b");
        FaultProxy gateToB = FaultProxy.start(b.legacyPort());
        URI bForAlice = URI.create("ws://127.0.0.1:" + gateToB.port() + "/");
        try (b; gateToB;
                MessagingPeer alice = legacy(transport, "alice", ALICE, a.legacyUri(), bForAlice);
                MessagingPeer bob = legacy(transport, "bob", BOB, a.legacyUri(), b.legacyUri())) {
            LinkedBlockingQueue<ConnectionStateChange> aliceStates = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<ConnectionStateChange> bobStates = new LinkedBlockingQueue<>();
            alice.onConnectionStateChange(aliceStates::add);
            bob.onConnectionStateChange(bobStates::add);
            LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
            Map<String, AtomicInteger> bobGot = new ConcurrentHashMap<>();
            bob.onMessage(m -> {
                bobGot.computeIfAbsent(m.text(), t -> new AtomicInteger()).incrementAndGet();
                toBob.add(m);
            });
            done(alice.connect());
            done(bob.connect());
            assertThat(bob.connectedServer()).contains(a.legacyUri());
            done(alice.sendText("bob", "before"));
            assertThat(next(toBob).text()).isEqualTo("before");

            gateToB.refuseNew(true);
            a.close();
            nextMatching(aliceStates, s -> s.current() == ConnectionState.RECONNECTING);
            CompletableFuture<Void> during = alice.sendText("bob", "during the outage");
            assertThat(nextMatching(bobStates, s -> s.current() == ConnectionState.CONNECTED && s.failover()).server())
                    .isEqualTo(b.legacyUri());
            gateToB.refuseNew(false);
            ConnectionStateChange back = nextMatching(aliceStates, s -> s.current() == ConnectionState.CONNECTED);
            assertThat(back.failover()).isTrue();
            assertThat(back.server()).isEqualTo(bForAlice);
            assertThat(alice.connectedServer()).contains(bForAlice);
            done(during);
            assertThat(nextMatching(toBob, m -> m.text().equals("during the outage")).from()).isEqualTo("alice");
            assertThat(done(alice.discover())).containsExactlyInAnyOrder("alice", "bob");
            done(alice.sendText("bob", "after"));
            nextMatching(toBob, m -> m.text().equals("after"));
            assertThat(bobGot).containsOnlyKeys("before", "during the outage", "after");
            assertThat(bobGot.values()).allMatch(n -> n.get() == 1);
        } finally {
            a.close();
        }
    }

    // connect() goes down the list: a server that does not answer is skipped, the next one registers the peer
    @Test
    void connectSkipsAServerThatDoesNotAnswer() throws IOException {
        URI nobody = unusedPort();
        try (DemosImServer b = start("b"); L2psMessagingPeer alice = l2ps("jdk", ALICE, nobody, b.l2psUri())) {
            LinkedBlockingQueue<ConnectionStateChange> states = new LinkedBlockingQueue<>();
            alice.onConnectionStateChange(states::add);
            done(alice.connect());
            ConnectionStateChange connected = nextMatching(states, s -> s.current() == ConnectionState.CONNECTED);
            assertThat(connected.server()).isEqualTo(b.l2psUri());
            assertThat(connected.failover()).as("the first registration is no failover").isFalse();
            assertThat(alice.connectedServer()).contains(b.l2psUri());
        }
    }

    // every server down: connect() fails once all were tried, and says which
    @Test
    void connectFailsOnlyWhenEveryServerFailedAndNamesThem() throws IOException {
        URI one = unusedPort();
        URI two = unusedPort();
        try (MessagingPeer alice = legacy("jdk", "alice", ALICE, one, two)) {
            Throwable t = failure(alice.connect());
            assertThat(t).isInstanceOf(ImException.class).hasMessageContaining(one.toString())
                    .hasMessageContaining(two.toString());
            assertThat(alice.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(alice.connectedServer()).isEmpty();
            assertThat(failure(alice.sendText("bob", "x"))).isInstanceOfSatisfying(ImException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
        }
    }

    @Test
    void theBuildersRefuseAnEmptyOrRepeatedList() {
        assertThatThrownBy(() -> L2psMessagingPeer.newBuilder().serverUris(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> MessagingPeer.newBuilder().serverUris("ws://127.0.0.1:3005", "ws://127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> MessagingPeer.newBuilder().serverUris("ws://127.0.0.1:3005", "http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
    }

    private static URI unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return URI.create("ws://127.0.0.1:" + s.getLocalPort() + "/");
        }
    }
}
