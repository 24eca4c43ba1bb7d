package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Outbox;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.RawClient;
import io.github.demosim.reliability.support.RawL2ps;
import io.github.demosim.reliability.support.ReliableSender;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import io.github.demosim.tck.net.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A recipient whose socket dies while the server drains its offline queue (l2ps.md §6.1, legacy-and-crypto.md
 * §A.8, C.1 #10). The recipient reads its registration and one message, stops reading, and its connection is
 * reset once the server has written the whole queue into the dying socket's TCP buffers.
 *
 * <p>What is lost is what the protocol makes lose: without an acknowledgement, "written to the socket" counts as
 * delivered, in the reference as in the hardened server (which only fixes the case where the write fails), so
 * everything but the message read is gone for live delivery. With the {@code ack} extension nothing is lost: the
 * server delivers it all again when the recipient registers again.
 */
class OfflineDrainTests {
    private static final int QUEUED = 100;
    private static final Duration GUARD = Duration.ofSeconds(60);
    /** An observation window for "nothing more arrives", not a timing assertion. */
    private static final Duration QUIET = Duration.ofMillis(700);

    @Test
    void referenceLosesWhatWasWrittenIntoADyingSocket() {
        // l2ps.md §6.1 REF: every queued row is marked `sent` once handed to the socket, never delivered again.
        try (DemosImServer server = l2psServer(ServerMode.REFERENCE); FaultProxy proxy = FaultProxy.start(server.l2psPort());
                RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
            alice.register(List.of());
            Identity bobId = Identity.generate();
            List<String> queued = queue(alice, bobId.ed25519PublicKeyHex());

            RawL2ps bob = RawL2ps.connectPaused(proxied(proxy), bobId);
            bob.ws.send(Wire.register(bobId, List.of()));
            String first = readRegistrationAndFirstMessage(bob.ws);
            Await.until("the server to mark the whole queue sent", GUARD,
                    () -> alice.statuses(bobId.ed25519PublicKeyHex()).values().stream().allMatch("sent"::equals));
            proxy.cutAll();

            try (RawL2ps bobAgain = RawL2ps.connect(proxied(proxy), bobId)) {
                bobAgain.register(List.of());
                assertThat(bobAgain.ws.nextText(QUIET)).as("nothing is delivered again").isNull();
            }
            Map<String, String> stored = alice.statuses(bobId.ed25519PublicKeyHex());
            assertThat(stored).hasSize(QUEUED).allSatisfy((hash, status) -> assertThat(status).isEqualTo("sent"));
            assertThat(queued).contains(first);
            System.out.printf("FIGURE drain-death/reference: %d queued, 1 read by the application, %d lost "
                    + "(history: all `sent`)%n", QUEUED, QUEUED - 1);
        }
    }

    @Test
    void hardenedWithoutAckLosesTheSameAndSaysSentInHistory() {
        // A reference client (no `features`) on a hardened server: the server knows only that it wrote the frames.
        try (DemosImServer server = l2psServer(ServerMode.HARDENED); FaultProxy proxy = FaultProxy.start(server.l2psPort());
                RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
            alice.register(List.of());
            Identity bobId = Identity.generate();
            List<String> queued = queue(alice, bobId.ed25519PublicKeyHex());

            RawL2ps bob = RawL2ps.connectPaused(proxied(proxy), bobId);
            drainIntoDyingSocket(bob, alice, List.of(), proxy);

            try (RawL2ps bobAgain = RawL2ps.connect(proxied(proxy), bobId)) {
                bobAgain.register(List.of());
                assertThat(bobAgain.ws.nextText(QUIET)).as("nothing is delivered again").isNull();
            }
            assertThat(statusesOf(alice, bobId, queued)).hasSize(QUEUED)
                    .allSatisfy((hash, status) -> assertThat(status).isEqualTo("sent"));
            System.out.printf("FIGURE drain-death/hardened-no-ack: %d queued, 1 read, %d lost%n", QUEUED, QUEUED - 1);
        }
    }

    @Test
    void hardenedWithAckDeliversEverythingAgainAndLosesNothing() {
        try (DemosImServer server = l2psServer(ServerMode.HARDENED); FaultProxy proxy = FaultProxy.start(server.l2psPort());
                RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
            alice.register(List.of());
            Identity bobId = Identity.generate();
            List<String> queued = queue(alice, bobId.ed25519PublicKeyHex());

            RawL2ps bob = RawL2ps.connectPaused(proxied(proxy), bobId);
            String first = drainIntoDyingSocket(bob, alice, List.of("ack"), proxy);
            Set<String> application = new HashSet<>(List.of(first)); // what Bob's application has, by hash
            assertThat(statusesOf(alice, bobId, queued).values()).as("unacknowledged: still queued")
                    .containsOnly("queued");

            try (RawL2ps bobAgain = RawL2ps.connect(proxied(proxy), bobId)) {
                bobAgain.register(List.of("ack"));
                List<String> redelivered = new ArrayList<>();
                for (int i = 0; i < QUEUED; i++) {
                    JsonValue m = bobAgain.ws.next("message");
                    assertThat(m.get("payload").flatMap(p -> p.get("offline"))).contains(JsonValue.of(true));
                    String hash = Json.str(m, "payload.messageHash");
                    redelivered.add(hash);
                    application.add(hash); // de-duplicated by hash, as the SDK does
                    bobAgain.ws.send(Wire.ack(hash));
                }
                assertThat(redelivered).as("everything unacknowledged, in order").containsExactlyElementsOf(queued);
                Await.until("every message acknowledged at the server", GUARD,
                        () -> statusesOf(alice, bobId, queued).values().stream().noneMatch("queued"::equals));
            }
            assertThat(application).containsExactlyInAnyOrderElementsOf(queued);
            System.out.printf("FIGURE drain-death/hardened-ack: %d queued, 1 read before the reset, %d delivered "
                    + "again after it, 0 lost, 0 duplicated after de-duplication%n", QUEUED, QUEUED);
        }
    }

    @Test
    void legacyProtocolLosesWhatWasWrittenIntoADyingSocket() {
        // C.1 #10: the legacy protocol has no acknowledgement at all; the server's only fix is not to mark as
        // sent what it failed to write. A write into a socket that dies afterwards still counts.
        try (DemosImServer server = DemosImServer.newBuilder().disableL2ps().legacyPort(0).inMemoryDatabase().start();
                FaultProxy proxy = FaultProxy.start(server.legacyPort());
                RawClient carol = RawClient.connect(server.legacyUri())) {
            Identity carolId = Identity.generate();
            String carolName = "carol-" + UUID.randomUUID();
            carol.send(Wire.legacyRegister(carolName, carolId));
            assertThat(Json.type(carol.next())).isEqualTo("register");
            String bobName = "bob-" + UUID.randomUUID();
            Identity bobId = Identity.generate();
            int queued = 50;
            for (int i = 0; i < queued; i++) {
                carol.send(Wire.legacySend(bobName, Json.obj("algorithm", "ml-kem-aes", "i", i)));
                assertThat(Json.type(carol.next())).isEqualTo("message_queued");
            }
            RawClient bob = RawClient.connectPaused(proxied(proxy));
            bob.send(Wire.legacyRegister(bobName, bobId));
            // Hardened: frames of one connection are handled in order, so this reaches Carol only after the drain.
            bob.send(Wire.legacySend(carolName, Json.obj("algorithm", "ml-kem-aes", "signal", true)));
            bob.read(2);
            assertThat(Json.type(bob.next())).isEqualTo("register");
            assertThat(Json.at(bob.next("message"), "payload.message.i")).isEqualTo(Json.json(0));
            assertThat(Json.at(carol.next("message"), "payload.message.signal")).isEqualTo(JsonValue.of(true));
            proxy.cutAll();

            try (RawClient bobAgain = RawClient.connect(proxied(proxy))) {
                registerLegacyWhenFree(bobAgain, bobName, bobId);
                bobAgain.send(Wire.legacyDiscover());
                assertThat(Json.type(bobAgain.next())).as("no message before the discover reply: nothing again")
                        .isEqualTo("discover");
            }
            System.out.printf("FIGURE drain-death/legacy: %d queued, 1 read, %d lost%n", queued, queued - 1);
        }
    }

    @Test
    void sdkRecipientWhoseConnectionDiesMidDrainGetsEveryMessageOnce() throws Exception {
        // End to end with the SDK on both sides: 3 senders queue 120 messages each (1 KiB texts) for Bob, who
        // comes online through the proxy; his connection is reset as soon as his application has the first one.
        try (DemosImServer server = l2psServer(ServerMode.HARDENED); FaultProxy proxy = FaultProxy.start(server.l2psPort())) {
            Identity bobId = Identity.generate();
            List<String> all = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                Outbox outbox = Outbox.of(bobId, "sender" + s, 120, 1024);
                try (L2psMessagingPeer sender = Peers.l2ps(server.l2psUri(), Identity.generate(), "java-websocket")
                        .build()) {
                    sender.connect().join();
                    ReliableSender reliable = new ReliableSender(sender);
                    outbox.items().forEach(i -> reliable.send(i.to(), i.encrypted(), i.messageHash()));
                }
                all.addAll(outbox.hashes());
            }
            Ledger ledger = new Ledger();
            AtomicBoolean cut = new AtomicBoolean();
            try (L2psMessagingPeer bob = Peers.l2ps(proxied(proxy), bobId, "tyrus").build()) {
                bob.onMessage(m -> {
                    ledger.record(m.messageHash());
                    if (cut.compareAndSet(false, true)) {
                        proxy.cutAll();
                    }
                });
                L2psRegistration first = bob.connect().join();
                Await.until("Bob registered again after the reset", GUARD,
                        () -> bob.registration().filter(r -> r != first).isPresent());
                Await.until(() -> "every message at Bob's application: " + ledger.missing(all).size() + " missing",
                        GUARD, () -> ledger.hasAll(all));
                ledger.assertExactlyOnce(all);
                System.out.printf("FIGURE drain-death/sdk-ack: %d queued, reset after the first, %d received, "
                        + "0 lost, 0 duplicated%n", all.size(), ledger.total());
            }
        }
    }

    private static DemosImServer l2psServer(ServerMode mode) {
        // The pipeline stays out of the way (statuses stay delivered/sent/queued).
        return DemosImServer.newBuilder().mode(mode).l2psPort(0).disableLegacy().inMemoryDatabase()
                .batchInterval(Duration.ofHours(1)).start();
    }

    private static URI proxied(FaultProxy proxy) {
        return URI.create("ws://127.0.0.1:" + proxy.port() + "/");
    }

    /** Alice queues {@value #QUEUED} messages for an offline key; returns their hashes in order. */
    private static List<String> queue(RawL2ps alice, String to) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            String hash = Wire.newHash();
            JsonValue ack = alice.send(to, "bXNn" + i, hash);
            assertThat(Json.type(ack)).as(Json.write(ack)).isEqualTo("message_queued");
            hashes.add(hash);
        }
        return hashes;
    }

    /** The stored status of each of these messages to {@code recipient}, from the sender's history. */
    private static Map<String, String> statusesOf(RawL2ps sender, Identity recipient, List<String> hashes) {
        Map<String, String> all = new java.util.HashMap<>(sender.statuses(recipient.ed25519PublicKeyHex()));
        all.keySet().retainAll(hashes);
        return all;
    }

    /** Reads {@code registered} and the first offline message; returns the message's hash. */
    private static String readRegistrationAndFirstMessage(RawClient ws) {
        ws.read(2);
        JsonValue registered = ws.next();
        assertThat(Json.type(registered)).isEqualTo("registered");
        JsonValue m = ws.next();
        assertThat(Json.type(m)).isEqualTo("message");
        return Json.str(m, "payload.messageHash");
    }

    /**
     * Hardened: Bob registers (with {@code features}), reads one message, and his connection is reset once the
     * server has written the whole queue. The signal: a message Bob sends right after registering reaches Alice
     * only after the drain (one connection's frames are handled in order).
     */
    private static String drainIntoDyingSocket(RawL2ps bob, RawL2ps alice, List<String> features, FaultProxy proxy) {
        bob.ws.send(Wire.register(bob.id, features));
        String signal = Wire.newHash();
        bob.ws.send(Wire.send(alice.key(), "c2lnbmFs", signal));
        String first = readRegistrationAndFirstMessage(bob.ws);
        assertThat(Json.str(alice.ws.next("message"), "payload.messageHash")).isEqualTo(signal);
        proxy.cutAll();
        return first;
    }

    private static void registerLegacyWhenFree(RawClient ws, String clientId, Identity id) {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            ws.send(Wire.legacyRegister(clientId, id));
            JsonValue r = ws.next();
            if ("register".equals(Json.type(r))) {
                return;
            }
            // the server may not have seen the old socket's reset yet
            assertThat(Json.str(r, "payload.errorType")).isEqualTo("CLIENT_ID_TAKEN");
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the client id stayed taken");
            }
            Await.sleep(50);
        }
    }
}
