package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.ErrorCode;
import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.SendResult;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import io.github.demosim.tck.transport.ResourceCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Restarts and shutdown: what a long-running client lives through (l2ps.md §9.4, §10 B24; ARCHITECTURE.md §4). */
class L2psPeerLifecycleTests {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 60, 0.2);

    @TempDir
    Path dir;

    private static DemosImServer start(Path db, int port) {
        return DemosImServer.newBuilder().mode(ServerMode.HARDENED).l2psPort(port).disableLegacy().databaseFile(db)
                .start();
    }

    private static L2psMessagingPeer peer(DemosImServer server, String transport, Identity identity) {
        return L2psMessagingPeer.newBuilder().serverUri(server.l2psUri()).l2psUid(DemosImServer.DEFAULT_L2PS_UID)
                .identity(identity).transport(transport).codec("jackson").reconnectPolicy(FAST)
                .sendTimeout(Duration.ofSeconds(30)).build();
    }

    /** Sends, and sends again with the same hash if the connection was lost before the answer (safe: hardened). */
    private static SendResult sendUntilAnswered(L2psMessagingPeer from, String to, Encrypted e, String hash) {
        for (int attempt = 0; ; attempt++) {
            CompletableFuture<SendResult> f = from.send(to, e, hash);
            try {
                return f.get(Await.SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException x) {
                if (!(x.getCause() instanceof ImException im && im.code() == ErrorCode.NOT_CONNECTED) || attempt > 20) {
                    throw new AssertionError("send " + hash + " failed", x.getCause());
                }
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        }
    }

    // ARCHITECTURE.md §4–5: the server restarts mid-conversation; both peers re-register by themselves, and with
    // ack, idempotent sends and de-duplication no message is lost or delivered twice
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void survivesAServerRestartWithoutLosingOrDuplicatingMessages(String transport, ServerMode mode) {
        Path db = dir.resolve("demos-im");
        DemosImServer first = start(db, 0);
        int port = first.l2psPort();
        L2psMessagingPeer alice = peer(first, transport, ALICE);
        L2psMessagingPeer bob = peer(first, transport, BOB);
        Map<String, AtomicInteger> bobGot = new ConcurrentHashMap<>();
        LinkedBlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        bob.onMessage(m -> {
            bobGot.computeIfAbsent(m.messageHash(), h -> new AtomicInteger()).incrementAndGet();
            arrivals.add(m.messageHash());
        });
        LinkedBlockingQueue<ConnectionStateChange> aliceStates = new LinkedBlockingQueue<>();
        alice.onConnectionStateChange(aliceStates::add);
        done(alice.connect());
        done(bob.connect());

        int total = 30;
        Map<String, Encrypted> messages = new java.util.LinkedHashMap<>();
        for (int i = 0; i < total; i++) {
            messages.put("restart-" + i, DEMOS.seal(BOB.mlKemPublicKey(),
                    ("message " + i).getBytes(StandardCharsets.UTF_8)).toL2psEncrypted());
        }
        List<String> hashes = List.copyOf(messages.keySet());
        String to = BOB.ed25519PublicKeyHex();

        for (int i = 0; i < 10; i++) {
            sendUntilAnswered(alice, to, messages.get(hashes.get(i)), hashes.get(i));
        }
        // 10..19 are sent without waiting: some are in flight when the server stops, the rest are made while it
        // is down and wait in the peer's outbox
        Map<String, CompletableFuture<SendResult>> pending = new java.util.LinkedHashMap<>();
        for (int i = 10; i < 20; i++) {
            pending.put(hashes.get(i), alice.send(to, messages.get(hashes.get(i)), hashes.get(i)));
            if (i == 12) {
                first.close();
            }
        }
        try (DemosImServer second = start(db, port)) {
            assertThat(second.l2psPort()).isEqualTo(port);
            pending.forEach((hash, f) -> {
                SendResult r = f.handle((v, x) -> {
                    if (x == null) {
                        return v;
                    }
                    Throwable cause = x instanceof java.util.concurrent.CompletionException ? x.getCause() : x;
                    assertThat(cause).isInstanceOfSatisfying(ImException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
                    return sendUntilAnswered(alice, to, messages.get(hash), hash); // same hash: idempotent
                }).join();
                assertThat(r.messageHash()).isEqualTo(hash);
            });
            for (int i = 20; i < total; i++) {
                sendUntilAnswered(alice, to, messages.get(hashes.get(i)), hashes.get(i));
            }
            while (bobGot.size() < total) {
                next(arrivals);
            }
            LinkedBlockingQueue<ReceivedMessage> toAlice = new LinkedBlockingQueue<>();
            alice.onMessage(toAlice::add);
            done(bob.sendText(ALICE.ed25519PublicKeyHex(), ALICE.mlKemPublicKey(), "got them all"));
            assertThat(next(toAlice).text()).contains("got them all");

            assertThat(bobGot.keySet()).containsExactlyInAnyOrderElementsOf(hashes);
            assertThat(bobGot.values()).allMatch(n -> n.get() == 1);
            assertThat(aliceStates).extracting(ConnectionStateChange::current).contains(ConnectionState.RECONNECTING);
            assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(bob.state()).isEqualTo(ConnectionState.CONNECTED);
        } finally {
            alice.close();
            bob.close();
        }
    }

    /** The threads that are not the in-process server's (its pools grow with load and keep their threads). */
    static List<String> clientThreads() {
        return ResourceCounts.threadNames().stream().filter(n -> !SERVER_THREAD.matcher(n).lookingAt()).toList();
    }

    private static final java.util.regex.Pattern SERVER_THREAD = java.util.regex.Pattern.compile(
            "demos-im-(jetty|worker|maintenance|timer|pinger|l2ps-pipeline)|Scheduler-");

    /** Waits until the client threads and the open file descriptors are back to what they were. */
    static void assertReleased(ResourceCounts baseline, List<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((clientThreads().size() > before.size() || ResourceCounts.now().fds() > baseline.fds())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ResourceCounts.threadNames()).noneMatch(n -> n.matches("demos-im-(l2ps|legacy)-\\d+-.*"));
        assertThat(clientThreads()).as("threads before: %s", before).hasSizeLessThanOrEqualTo(before.size());
        assertThat(ResourceCounts.now().fds()).as("open file descriptors").isLessThanOrEqualTo(baseline.fds());
    }

    // close() leaves no thread and no socket of the peer behind (/proc/self/fd; thread names)
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void closeReleasesEveryThreadAndSocket(String transport) throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase().start()) {
            // warm the server (its pools grow with the first connection) and the transport's shared classes
            try (L2psMessagingPeer warm = peer(server, transport, BOB)) {
                done(warm.connect());
            }
            ResourceCounts baseline = ResourceCounts.now();
            List<String> before = clientThreads();

            L2psMessagingPeer alice = peer(server, transport, ALICE);
            LinkedBlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
            alice.onMessage(got::add);
            done(alice.connect());
            done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "queued for bob"));
            done(alice.discover());
            assertThat(ResourceCounts.threadNames()).anyMatch(n -> n.matches("demos-im-l2ps-\\d+-control"));
            alice.close();
            alice.close(); // idempotent

            assertReleased(baseline, before);
            assertThat(alice.state()).isEqualTo(ConnectionState.CLOSED);
            Throwable late = Await.failure(alice.discover());
            assertThat(late).isInstanceOfSatisfying(ImException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
        }
    }

    // ARCHITECTURE.md §5 ack: closing right after a listener saw a message still acknowledges it, so the server
    // does not redeliver it to the next session (a CLI `listen --count 1` closes exactly like this)
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void closeRightAfterAListenerRanStillAcknowledges(String transport) throws Exception {
        try (DemosImServer server = start(dir.resolve("ack-close"), 0)) {
            L2psMessagingPeer alice = peer(server, transport, ALICE);
            L2psMessagingPeer bob = peer(server, transport, BOB);
            CompletableFuture<ReceivedMessage> seen = new CompletableFuture<>();
            bob.onMessage(seen::complete);
            done(alice.connect());
            done(bob.connect());
            SendResult sent = done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "ack me"));
            assertThat(done(seen).requireText()).isEqualTo("ack me");
            bob.close();   // at once, as soon as the listener has the message
            LinkedBlockingQueue<ReceivedMessage> again = new LinkedBlockingQueue<>();
            L2psMessagingPeer bobAgain = peer(server, transport, BOB);
            bobAgain.onMessage(again::add);
            done(bobAgain.connect());
            // a marker sent after reconnecting arrives; nothing from before it is redelivered
            done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "marker"));
            ReceivedMessage first = next(again);
            assertThat(first.messageHash()).isNotEqualTo(sent.messageHash());
            assertThat(first.requireText()).isEqualTo("marker");
            bobAgain.close();
            alice.close();
        }
    }

    // issue 14 item 7: where server-bound proofs are required, the first registration's reference proof is refused,
    // the peer asks for a challenge and registers at once; after a restart it signs a challenge straight away
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void signsTheServersChallengeWhereBoundProofsAreRequired(String transport) {
        Path db = dir.resolve("bound");
        DemosImServer first = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseFile(db)
                .requireServerBoundProof(true).start();
        int port = first.l2psPort();
        L2psMessagingPeer alice = peer(first, transport, ALICE);
        LinkedBlockingQueue<io.github.demosim.ErrorEvent> errors = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ConnectionStateChange> states = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        alice.onConnectionStateChange(states::add);
        L2psMessagingPeer plain = L2psMessagingPeer.newBuilder().serverUri(first.l2psUri())
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).identity(BOB).transport(transport).codec("jackson")
                .features(java.util.Set.of()).build(); // a reference client
        try {
            assertThat(done(alice.connect()).features()).contains(L2psMessagingPeer.FEATURE_SERVER_CHALLENGE);
            io.github.demosim.ErrorEvent refusal = next(errors);
            assertThat(refusal.serverCode()).contains("INVALID_PROOF");
            assertThat(refusal.error()).hasMessageContaining("Server-bound proof required");
            Throwable refused = Await.failure(plain.connect());
            assertThat(refused).isInstanceOfSatisfying(io.github.demosim.ServerErrorException.class,
                    e -> assertThat(e.serverMessage().orElse("")).startsWith("Server-bound proof required"));

            first.close();
            Await.nextMatching(states, c -> c.current() == ConnectionState.RECONNECTING);
            try (DemosImServer second = DemosImServer.newBuilder().l2psPort(port).disableLegacy().databaseFile(db)
                    .requireServerBoundProof(true).start()) {
                Await.nextMatching(states, c -> c.current() == ConnectionState.CONNECTED);
                assertThat(done(alice.discover())).containsExactly(ALICE.ed25519PublicKeyHex());
                assertThat(errors).as("no reference proof tried again").isEmpty();
                assertThat(second.l2psPort()).isEqualTo(port);
            }
        } finally {
            alice.close();
            plain.close();
        }
    }
}
