package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.Await.nextMatching;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.Identity;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.TextMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import io.github.demosim.tck.transport.ResourceCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Restart and shutdown of the legacy peer (legacy-and-crypto.md §C.1 #4 fixed, §C.2 item 16). */
class MessagingPeerLifecycleTests {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 60, 0.2);

    @TempDir
    Path dir;

    private static DemosImServer start(ServerMode mode, Path db, int port) {
        return DemosImServer.newBuilder().mode(mode).legacyPort(port).disableL2ps().databaseFile(db).start();
    }

    private static MessagingPeer peer(DemosImServer server, String transport, String id, Identity identity) {
        return MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId(id).identity(identity)
                .transport(transport).codec("jackson").reconnectPolicy(FAST).build();
    }

    // the reference SDK never re-registers after a drop (§C.1 #4); this peer does, by itself
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void reconnectsAndRegistersAgainAfterAServerRestart(String transport, ServerMode mode) {
        Path db = dir.resolve("legacy");
        DemosImServer first = start(mode, db, 0);
        int port = first.legacyPort();
        try (MessagingPeer alice = peer(first, transport, "alice", ALICE);
                MessagingPeer bob = peer(first, transport, "bob", BOB)) {
            LinkedBlockingQueue<ConnectionStateChange> aliceStates = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<ConnectionStateChange> bobStates = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
            alice.onConnectionStateChange(aliceStates::add);
            bob.onConnectionStateChange(bobStates::add);
            bob.onMessage(toBob::add);
            done(alice.connect());
            done(bob.connect());
            nextMatching(aliceStates, s -> s.current() == ConnectionState.CONNECTED);
            nextMatching(bobStates, s -> s.current() == ConnectionState.CONNECTED);
            done(alice.sendText("bob", "before the restart"));
            assertThat(next(toBob).text()).isEqualTo("before the restart");

            first.close();
            nextMatching(aliceStates, s -> s.current() == ConnectionState.RECONNECTING);
            nextMatching(bobStates, s -> s.current() == ConnectionState.RECONNECTING);
            try (DemosImServer second = start(mode, db, port)) {
                nextMatching(aliceStates, s -> s.current() == ConnectionState.CONNECTED);
                nextMatching(bobStates, s -> s.current() == ConnectionState.CONNECTED);
                assertThat(second.legacyPort()).isEqualTo(port);
                // registered again: the new server knows both ids
                assertThat(done(alice.discover())).containsExactlyInAnyOrder("alice", "bob");
                done(alice.sendText("bob", "after the restart"));
                TextMessage m = next(toBob);
                assertThat(m.text()).isEqualTo("after the restart");
                assertThat(m.from()).isEqualTo("alice");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void closeReleasesEveryThreadAndSocket(String transport) throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().legacyPort(0).disableL2ps().inMemoryDatabase().start()) {
            try (MessagingPeer warm = peer(server, transport, "warm", BOB)) {
                done(warm.connect());
            }
            ResourceCounts baseline = ResourceCounts.now();
            List<String> before = L2psPeerLifecycleTests.clientThreads();

            MessagingPeer alice = peer(server, transport, "alice", ALICE);
            done(alice.connect());
            done(alice.discover());
            done(alice.sendText("nobody-online", BOB.mlKemPublicKey(), "stored"));
            assertThat(ResourceCounts.threadNames()).anyMatch(n -> n.matches("demos-im-legacy-\\d+-control"));
            alice.close();
            alice.close();

            L2psPeerLifecycleTests.assertReleased(baseline, before);
            assertThat(alice.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }
}
