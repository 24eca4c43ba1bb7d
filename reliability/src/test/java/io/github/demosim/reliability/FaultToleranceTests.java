package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Outbox;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.ReliableSender;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.tck.net.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network faults between SDK peers and a hardened server, with the {@code ack} extension (docs/server.md,
 * "Extensions"): connections cut (reset), stalled and half-open while messages flow. The applications follow
 * the SDK's contract (a send that fails with {@code NOT_CONNECTED} or {@code REQUEST_TIMEOUT} is repeated with
 * the same payload and hash); the receiving application counts by message hash. Every message sent arrives
 * exactly once, and the server ends with every message acknowledged.
 */
class FaultToleranceTests {
    private static final Duration GUARD = Duration.ofSeconds(90);

    private DemosImServer server;
    private FaultProxy proxy;
    private URI viaProxy;

    @BeforeEach
    void start() {
        server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase().start();
        proxy = FaultProxy.start(server.l2psPort());
        viaProxy = URI.create("ws://127.0.0.1:" + proxy.port() + "/");
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
    }

    @ParameterizedTest
    @MethodSource("io.github.demosim.reliability.support.Peers#transports")
    void connectionsCutWhileMessagesFlowLoseAndDuplicateNothing(String transport) throws Exception {
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        Outbox outbox = Outbox.of(bobId, "cut", 200);
        Ledger ledger = new Ledger();
        List<String> wrongText = new CopyOnWriteArrayList<>();
        try (L2psMessagingPeer bob = Peers.l2ps(viaProxy, bobId, transport).build();
                L2psMessagingPeer alice = Peers.l2ps(viaProxy, aliceId, transport).build()) {
            bob.onMessage(m -> {
                if (!m.text().equals(java.util.Optional.ofNullable(outbox.textOf(m.messageHash())))) {
                    wrongText.add(m.messageHash());
                }
                ledger.record(m.messageHash());
            });
            // What Bob's connection did, for a failure message: once, after the last cut, the jdk client did not
            // register again within the guard (CI, loaded machine), and nothing said why.
            List<String> bobStates = new CopyOnWriteArrayList<>();
            bob.onConnectionStateChange(c -> bobStates.add(c.previous() + "->" + c.current()
                    + c.cause().map(e -> " (" + e.getMessage() + ")").orElse("")));
            bob.connect().join();
            alice.connect().join();
            ReliableSender sender = new ReliableSender(alice);

            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sends = outbox.items().stream()
                    .<Future<?>>map(i -> senders.submit(() -> sender.send(i.to(), i.encrypted(), i.messageHash())))
                    .toList();
            int cuts = 0;
            while (cuts < 6 && !sends.get(sends.size() - 1).isDone()) {
                Await.sleep(120);
                proxy.cutAll();
                cuts++;
            }
            for (Future<?> f : sends) {
                f.get();
            }
            senders.shutdown();

            Await.until(() -> "every message at Bob's application: " + missing(alice, bobId, ledger, outbox), GUARD,
                    () -> ledger.hasAll(outbox.hashes()));
            Await.until("Bob's acknowledgements of every message at the server", GUARD,
                    () -> allAcknowledged(alice, bobId));
            // One more cut: a server that still held an unacknowledged message would deliver it again now. Bob may
            // still be coming back from the last cut of the loop (his messages all arrived before it, the sends
            // finished after it): the cut is of a registered connection.
            Await.until(() -> "Bob registered before the last cut; his connection: " + bobStates + ", now "
                    + bob.state(), GUARD, () -> bob.registration().isPresent());
            L2psRegistration before = bob.registration().orElseThrow();
            int statesBefore = bobStates.size();
            proxy.cutAll();
            Await.until(() -> "Bob registered again; his connection since the cut: "
                    + bobStates.subList(statesBefore, bobStates.size()) + ", now " + bob.state()
                    + "; connections the proxy accepted: " + proxy.acceptedConnections(), GUARD,
                    () -> bob.registration().filter(r -> r != before).isPresent());
            bob.discover().join();

            ledger.assertExactlyOnce(outbox.hashes());
            assertThat(wrongText).as("messages whose text did not decrypt to what was sent").isEmpty();
            assertThat(sender.acknowledged()).hasSize(outbox.items().size());
            System.out.printf("FIGURE cut/%s: %d messages, %d cuts, %d retried sends, %d connections, "
                    + "%d received, 0 lost, 0 duplicated%n", transport, outbox.items().size(), cuts + 1,
                    sender.retries(), proxy.acceptedConnections(), ledger.total());
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.demosim.reliability.support.Peers#transports")
    void aStallLongerThanTheSendTimeoutIsRetriedWithoutDuplicates(String transport) throws Exception {
        // Bytes stop flowing both ways for 3 s; the sockets stay up and the keep-alive (30 s / 120 s) does not
        // notice. Sends time out after 1 s and are repeated on the same connection; after the stall the server
        // sees the original and its repeats, and delivers once.
        exchangeUnderFault(transport, b -> b.sendTimeout(Duration.ofSeconds(1)), "stall", () -> {
            proxy.stall();
            Await.sleep(3_000);
            proxy.resume();
        });
    }

    @ParameterizedTest
    @MethodSource("io.github.demosim.reliability.support.Peers#transports")
    void aBlackHoledConnectionIsDroppedByTheKeepAliveAndNothingIsLost(String transport) throws Exception {
        // A stall that outlasts the peers' idle timeout (2 s): each peer gives the connection up and reconnects;
        // while the proxy still stalls, the new connections hang too, then everything resumes.
        exchangeUnderFault(transport, b -> b.sendTimeout(Duration.ofSeconds(1))
                .keepAlive(Duration.ofMillis(500), Duration.ofSeconds(2)), "black hole", () -> {
                    proxy.stall();
                    Await.sleep(5_000);
                    proxy.resume();
                });
    }

    @ParameterizedTest
    @MethodSource("io.github.demosim.reliability.support.Peers#transports")
    void halfOpenConnectionsAreDetectedAndNothingIsLost(String transport) throws Exception {
        // The server side of every connection is gone while the peers' sockets stay open: what they send vanishes
        // and nothing comes back. Only the peers' keep-alive can tell; with 500 ms pings and a 2 s idle timeout
        // they reconnect and the server redelivers whatever Bob had not acknowledged.
        exchangeUnderFault(transport, b -> b.sendTimeout(Duration.ofSeconds(1))
                .keepAlive(Duration.ofMillis(500), Duration.ofSeconds(2)), "half-open", () -> {
                    proxy.halfOpenAll();
                    Await.sleep(500);
                });
    }

    /**
     * Alice sends 150 messages to Bob, 8 at a time, through the proxy; the fault strikes once a third of them
     * are acknowledged. Then: every message at Bob's application exactly once, every one acknowledged at the
     * server.
     */
    private void exchangeUnderFault(String transport, java.util.function.UnaryOperator<L2psMessagingPeer.Builder> tune,
            String fault, Runnable strike) throws Exception {
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        Outbox outbox = Outbox.of(bobId, fault, 150);
        Ledger ledger = new Ledger();
        try (L2psMessagingPeer bob = tune.apply(Peers.l2ps(viaProxy, bobId, transport)).build();
                L2psMessagingPeer alice = tune.apply(Peers.l2ps(viaProxy, aliceId, transport)).build()) {
            bob.onMessage(m -> ledger.record(m.messageHash()));
            bob.connect().join();
            alice.connect().join();
            ReliableSender sender = new ReliableSender(alice);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sends = outbox.items().stream()
                    .<Future<?>>map(i -> senders.submit(() -> sender.send(i.to(), i.encrypted(), i.messageHash())))
                    .toList();
            Await.until("a third of the messages acknowledged", GUARD,
                    () -> sender.acknowledged().size() >= outbox.items().size() / 3);
            int before = sender.acknowledged().size();
            strike.run();
            for (Future<?> f : sends) {
                f.get();
            }
            senders.shutdown();
            Await.until(() -> "every message at Bob's application: " + missing(alice, bobId, ledger, outbox), GUARD,
                    () -> ledger.hasAll(outbox.hashes()));
            Await.until("Bob's acknowledgements of every message at the server", GUARD,
                    () -> allAcknowledged(alice, bobId));
            ledger.assertExactlyOnce(outbox.hashes());
            System.out.printf("FIGURE %s/%s: %d messages, fault after %d acknowledged, %d retried sends, "
                    + "%d connections, %d received, 0 lost, 0 duplicated%n", fault, transport, outbox.items().size(),
                    before, sender.retries(), proxy.acceptedConnections(), ledger.total());
        }
    }

    /** The missing messages with their status at the server, so a failure says where each one stopped. */
    private static String missing(L2psMessagingPeer sender, Identity recipient, Ledger ledger, Outbox outbox) {
        var missing = ledger.missing(outbox.hashes());
        if (missing.isEmpty()) {
            return "0 missing";
        }
        java.util.Map<String, String> status = new java.util.HashMap<>();
        try {
            sender.historyStream(recipient.ed25519PublicKeyHex(), 200)
                    .forEach(m -> status.put(m.messageHash(), String.valueOf(m.status())));
        } catch (RuntimeException e) {
            return missing.size() + " missing (history unavailable: " + e + ")";
        }
        return missing.size() + " missing: " + missing.stream().map(h -> h + "=" + status.getOrDefault(h, "not stored"))
                .toList();
    }

    /** Whether the server has every message of the conversation acknowledged (none reads {@code queued}). */
    private static boolean allAcknowledged(L2psMessagingPeer sender, Identity recipient) {
        List<StoredMessage> all;
        try {
            all = sender.historyStream(recipient.ed25519PublicKeyHex(), 200).toList();
        } catch (io.github.demosim.ImException e) {
            // The sender may still be coming back from the last cut: its request was lost with the connection
            // (IM-REQUEST-002). Not an answer either way; ask again at the next poll.
            return false;
        }
        return all.stream().noneMatch(m -> m.status() == io.github.demosim.L2psStatus.QUEUED);
    }
}
