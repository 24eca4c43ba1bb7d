package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What hardened mode adds to the reference behaviour (docs/server.md "Hardened mode"): request ids, proof
 * freshness and replay protection, ordered handling, flood control, the fixes of B3/B4/B13/B16/B18, stricter
 * parameters, and the extensions for clients that ask for them.
 */
class L2psHardenedTests extends ServerTestBase {

    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }

    @Override
    protected void configure(DemosImServer.Builder builder) {
        builder.rateLimit(100_000, 100_000);
    }

    static void assertError(JsonValue frame, String code, String message) {
        L2psConformanceTests.assertError(frame, code, message);
    }

    static JsonValue.JsonObject withRequestId(JsonValue.JsonObject frame, String requestId) {
        java.util.Map<String, JsonValue> m = new java.util.LinkedHashMap<>(frame.members());
        m.put("requestId", JsonValue.of(requestId));
        return new JsonValue.JsonObject(m);
    }

    @Test
    void requestIdIsEchoedOnEveryReplyAndErrorButNotOnPushes() {
        String uid = freshUid();
        L2psPeer a = peer();
        a.ws.send(withRequestId(a.registerFrame(uid, System.currentTimeMillis()), "r-reg"));
        assertThat(Wire.str(a.ws.next("registered"), "requestId")).isEqualTo("r-reg");
        L2psPeer b = registered(uid);
        JsonValue joined = a.ws.next("peer_joined");
        assertThat(joined.get("requestId")).isEmpty();

        a.ws.send(withRequestId(L2psPeer.sendFrame(b.pk(), "Y3Q=", L2psPeer.newHash()), "r-send"));
        JsonValue pushed = b.ws.next("message");
        assertThat(pushed.get("requestId")).isEmpty();
        assertThat(Wire.str(a.ws.next("message_sent"), "requestId")).isEqualTo("r-send");
        a.ws.send(withRequestId(L2psPeer.sendFrame(Ed25519Key.random().publicKeyHex(), "Y3Q=", L2psPeer.newHash()), "r-q"));
        assertThat(Wire.str(a.ws.next("message_queued"), "requestId")).isEqualTo("r-q");
        a.ws.send(withRequestId(a.historyFrame(b.pk()), "r-hist"));
        assertThat(Wire.str(a.ws.next("history_response"), "requestId")).isEqualTo("r-hist");
        a.ws.send(withRequestId(Wire.frame("discover", obj(), 1), "r-disc"));
        assertThat(Wire.str(a.ws.next("discover_response"), "requestId")).isEqualTo("r-disc");
        a.ws.send(withRequestId(Wire.frame("request_public_key", obj("targetId", b.pk()), 1), "r-key"));
        assertThat(Wire.str(a.ws.next("public_key_response"), "requestId")).isEqualTo("r-key");
        a.ws.send(withRequestId(Wire.frame("send", obj("to", b.pk()), 1), "r-err"));
        JsonValue err = a.ws.next("error");
        assertThat(Wire.str(err, "requestId")).isEqualTo("r-err");
        assertThat(Wire.str(err, "payload.message")).isEqualTo("Missing to, encrypted, or messageHash");
    }

    @Test
    void registerProofsMustBeFreshAndUsedOnce() {
        String uid = freshUid();
        L2psPeer p = peer();
        long now = System.currentTimeMillis();
        for (long ts : new long[] {now - 301_000, now + 301_000}) {
            p.ws.send(p.registerFrame(uid, ts));
            assertError(p.ws.next(), "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
        }
        // A timestamp that is not an integer number: the proof string says "undefined" / the string itself.
        p.ws.send(obj("type", "register", "payload", obj("publicKey", p.pk(), "l2psUid", uid, "proof",
                p.key.sign("register:" + p.pk() + ":undefined"))));
        assertError(p.ws.next(), "INVALID_PROOF", "Proof timestamp missing or not an integer (ms since epoch)");
        p.ws.send(obj("type", "register", "payload", obj("publicKey", p.pk(), "l2psUid", uid, "proof",
                p.key.sign("register:" + p.pk() + ":" + now)), "timestamp", Long.toString(now)));
        assertError(p.ws.next(), "INVALID_PROOF", "Proof timestamp missing or not an integer (ms since epoch)");
        JsonValue.JsonObject ok = p.registerFrame(uid, now - 240_000); // four minutes old: inside the window
        p.ws.send(ok);
        assertThat(Wire.type(p.ws.next())).isEqualTo("registered");
        WsClient replay = l2ps();
        replay.send(ok);
        assertError(replay.next(), "INVALID_PROOF", "Proof already used");
    }

    @Test
    void usedProofsSurviveARestart() {
        String url = "jdbc:h2:mem:replay-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Ed25519Key key = Ed25519Key.random();
        JsonValue.JsonObject frame;
        try (DemosImServer s1 = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseUrl(url).start();
                L2psPeer p = L2psPeer.connect(s1.l2psUri(), key)) {
            frame = p.registerFrame(L2psPeer.UID, System.currentTimeMillis());
            p.ws.send(frame);
            assertThat(Wire.type(p.ws.next())).isEqualTo("registered");
        }
        try (DemosImServer s2 = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseUrl(url).start();
                WsClient c = WsClient.connect(s2.l2psUri())) {
            c.send(frame);
            assertError(c.next(), "INVALID_PROOF", "Proof already used");
        }
    }

    @Test
    void historyProofsMustBeFresh() {
        L2psPeer a = registered(freshUid());
        String peer = Ed25519Key.random().publicKeyHex();
        long old = System.currentTimeMillis() - 600_000;
        a.ws.send(Wire.frame("history", obj("peerKey", peer, "proof", a.key.sign("history:" + peer + ":" + old)), old));
        assertError(a.ws.next(), "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
    }

    @Test
    void framesOfOneConnectionAreAnsweredInOrder() {
        L2psPeer a = registered(freshUid());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i % 10 == 9) {
                a.ws.send(withRequestId(Wire.frame("discover", obj(), 1), "d" + i));
                expected.add("discover_response:d" + i);
            } else {
                String hash = L2psPeer.newHash();
                a.ws.send(L2psPeer.sendFrame(Ed25519Key.random().publicKeyHex(), "Y3Q=", hash));
                expected.add("message_queued:" + hash);
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            JsonValue f = a.ws.next();
            got.add(Wire.type(f) + ":" + ("discover_response".equals(Wire.type(f)) ? Wire.str(f, "requestId")
                    : Wire.str(f, "payload.messageHash")));
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void pipelinedSendsAndADiscoverAreAnsweredInRequestOrder() {
        // Issue 16 item 3: many sends of one connection are in the server at once (answered from their group
        // commits), and a discover read after them, answered at once, still waits for their replies.
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        List<String> expected = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        String offline = Ed25519Key.random().publicKeyHex();
        for (int i = 0; i < 40; i++) {
            String hash = L2psPeer.newHash();
            switch (i % 5) {
                case 0, 1 -> {
                    a.ws.send(withRequestId(L2psPeer.sendFrame(b.pk(), "Y3Q=", hash), "s" + i));
                    expected.add("message_sent:s" + i);
                    hashes.add(hash);
                }
                case 2 -> {
                    a.ws.send(withRequestId(Wire.frame("discover", obj(), 1), "d" + i));
                    expected.add("discover_response:d" + i);
                }
                case 3 -> {
                    a.ws.send(withRequestId(L2psPeer.sendFrame(offline, "Y3Q=", hash), "q" + i));
                    expected.add("message_queued:q" + i);
                }
                default -> {
                    // the previous live send's hash again, while it may still be on its way to the store: it waits
                    // for that write, then is answered like the original (idempotent send)
                    a.ws.send(withRequestId(L2psPeer.sendFrame(b.pk(), "Y3Q=", hashes.get(hashes.size() - 1)),
                            "again" + i));
                    expected.add("message_sent:again" + i);
                }
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonValue f = a.ws.awaitFrame(x -> !"peer_joined".equals(Wire.type(x))); // b's arrival is a push
            got.add(Wire.type(f) + ":" + Wire.str(f, "requestId"));
        }
        assertThat(got).containsExactlyElementsOf(expected);
        // The recipient got each message once, in the order sent (commit order is the pair's order).
        List<String> delivered = new ArrayList<>();
        while (delivered.size() < hashes.size()) {
            JsonValue f = b.ws.awaitFrame(x -> "message".equals(Wire.type(x)));
            delivered.add(Wire.str(f, "payload.messageHash"));
        }
        assertThat(delivered).containsExactlyElementsOf(hashes);
        a.ws.send(Wire.frame("discover", obj(), 1));
        assertThat(Wire.type(a.ws.next())).isEqualTo("discover_response");
    }

    @Test
    void aSendRightAfterRegisterIsHandledAfterTheRegistration() {
        // l2ps.md §4.1: on the node this send may be refused with REGISTRATION_REQUIRED; in order it cannot.
        L2psPeer a = peer();
        a.ws.send(a.registerFrame(freshUid(), System.currentTimeMillis()));
        a.ws.send(L2psPeer.sendFrame(Ed25519Key.random().publicKeyHex(), "Y3Q=", L2psPeer.newHash()));
        assertThat(Wire.type(a.ws.next())).isEqualTo("registered");
        assertThat(Wire.type(a.ws.next())).isEqualTo("message_queued");
    }

    @Test
    void repeatingAQueuedSendReturnsTheOriginalAcknowledgement() {
        L2psPeer a = registered(freshUid());
        String to = Ed25519Key.random().publicKeyHex();
        String hash = L2psPeer.newHash();
        JsonValue first = a.send(to, "Y3Q=", hash);
        JsonValue again = a.send(to, "Y3Q=", hash);
        assertThat(Wire.payload(again)).isEqualTo(Wire.payload(first));
        assertThat(Wire.array(a.history(to), "payload.messages")).hasSize(1);
        // The same hash to another recipient is a different message: refused as a duplicate.
        assertError(a.send(Ed25519Key.random().publicKeyHex(), "Y3Q=", hash), "L2PS_SUBMIT_FAILED", "Duplicate message");
    }

    @Test
    void ackClientsGetUnacknowledgedMessagesAgainUntilTheyAcknowledge() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        Ed25519Key bKey = Ed25519Key.random();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hashes.add(Wire.str(a.send(bKey.publicKeyHex(), "Y3Q=" + i), "payload.messageHash"));
        }
        L2psPeer b1 = peer(bKey);
        b1.register(uid, "features", List.of("ack"));
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonValue m = b1.ws.next("message");
            assertThat(Wire.bool(m, "payload.offline")).isTrue();
            assertThat(Wire.num(m, "payload.sentAt")).isPositive();
            first.add(Wire.str(m, "payload.messageHash"));
        }
        assertThat(first).containsExactlyElementsOf(hashes);
        b1.ws.send(Wire.frame("ack", obj("messageHash", hashes.get(0)), 1)); // only the first
        assertThat(b1.sync()).isEmpty(); // no reply to an ack
        // A live message while connected, not acknowledged either.
        String live = Wire.str(a.send(bKey.publicKeyHex(), "bGl2ZQ=="), "payload.messageHash");
        assertThat(Wire.bool(b1.ws.next("message"), "payload.offline")).isFalse();
        b1.ws.abort(); // a half-open socket: the client never saw them, as far as the server knows

        L2psPeer b2 = peer(bKey);
        b2.register(uid, "features", List.of("ack"));
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            second.add(Wire.str(b2.ws.next("message"), "payload.messageHash"));
        }
        assertThat(second).containsExactly(hashes.get(1), hashes.get(2), live);
        for (String h : second) {
            b2.ws.send(Wire.frame("ack", obj("messageHash", h), 1));
        }
        assertThat(b2.sync()).isEmpty();
        b2.close();
        L2psPeer b3 = peer(bKey);
        b3.register(uid, "features", List.of("ack"));
        assertThat(b3.sync()).isEmpty();
        List<String> statuses = Wire.array(a.history(bKey.publicKeyHex()), "payload.messages").stream()
                .map(m -> Wire.str(m, "messageHash") + "=" + Wire.str(m, "status")).toList();
        assertThat(statuses).containsExactlyInAnyOrder(live + "=delivered", hashes.get(0) + "=sent",
                hashes.get(1) + "=sent", hashes.get(2) + "=sent");
    }

    @Test
    void ackNeedsTheExtension() {
        L2psPeer a = registered(freshUid());
        a.ws.send(Wire.frame("ack", obj("messageHash", "h"), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Extension not negotiated: ack (ask for it in register.features)");
        L2psPeer b = peer();
        b.register(freshUid(), "features", List.of("ack", "unknown_feature"));
        b.ws.send(Wire.frame("ack", obj(), 1));
        assertError(b.ws.next(), "INVALID_MESSAGE", "Missing messageHash");
    }

    @Test
    void keyDirectoryPublishesAndServesMlKemKeys() {
        String uid = freshUid();
        byte[] kem = new byte[1184];
        new java.util.Random(7).nextBytes(kem);
        String kemB64 = Base64.getEncoder().encodeToString(kem);
        L2psPeer owner = peer();
        owner.register(uid, "kemPublicKey", kemB64);
        L2psPeer asker = peer();
        asker.register(uid, "features", List.of("key_directory"));
        L2psPeer plain = registered(uid);
        asker.ws.send(Wire.frame("request_public_key", obj("targetId", owner.pk()), 1));
        JsonValue r = asker.ws.await("public_key_response");
        assertThat(Wire.payload(r)).isEqualTo(obj("targetId", owner.pk(), "publicKey", owner.pk(), "kemPublicKey", kemB64));
        plain.ws.send(Wire.frame("request_public_key", obj("targetId", owner.pk()), 1));
        assertThat(Wire.payload(plain.ws.await("public_key_response"))).isEqualTo(obj("targetId", owner.pk(),
                "publicKey", owner.pk())); // no extension, no extra member
        owner.close();
        asker.ws.await("peer_left");
        asker.ws.send(Wire.frame("request_public_key", obj("targetId", owner.pk()), 1));
        assertThat(Wire.payload(asker.ws.await("public_key_response"))).isEqualTo(obj("targetId", owner.pk(),
                "publicKey", null, "kemPublicKey", kemB64)); // offline, but its key stays published
        asker.ws.send(Wire.frame("request_public_key", obj("targetId", Ed25519Key.random().publicKeyHex()), 1));
        assertThat(Wire.at(asker.ws.await("public_key_response"), "payload.kemPublicKey"))
                .isEqualTo(JsonValue.nullValue());
        L2psPeer bad = peer();
        bad.ws.send(bad.registerFrame(uid, System.currentTimeMillis(), "kemPublicKey", "c2hvcnQ="));
        assertError(bad.ws.next(), "INVALID_MESSAGE",
                "Invalid kemPublicKey (expected base64 of a 1184-byte ML-KEM-768 public key)");
    }

    @Test
    void nullFramesGetAnAnswer() {
        WsClient c = l2ps();
        c.send("null");
        assertError(c.next(), "INVALID_MESSAGE", "Missing or invalid type/payload");
    }

    @Test
    void registeringAgainOnTheSameSocketKeepsIt() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        L2psPeer a = registered(uid);
        watcher.ws.next("peer_joined");
        a.register(uid);
        assertThat(a.sync()).isEmpty();
        assertThat(a.ws.isClosed()).isFalse();
        assertThat(watcher.sync()).isEmpty(); // no duplicate peer_joined, no peer_left
    }

    @Test
    void switchingKeysOnASocketLeavesNoGhost() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        L2psPeer a = registered(uid);
        watcher.ws.next("peer_joined");
        Ed25519Key second = Ed25519Key.random();
        long ts = System.currentTimeMillis();
        a.ws.send(Wire.frame("register", obj("publicKey", second.publicKeyHex(), "l2psUid", uid, "proof",
                second.sign("register:" + second.publicKeyHex() + ":" + ts)), ts));
        a.ws.next("registered");
        assertThat(Wire.payload(watcher.ws.next("peer_left"))).isEqualTo(obj("publicKey", a.pk()));
        assertThat(Wire.payload(watcher.ws.next("peer_joined"))).isEqualTo(obj("publicKey", second.publicKeyHex()));
        assertThat(Wire.strings(watcher.discover(), "payload.peers")).containsExactly(watcher.pk(), second.publicKeyHex());
    }

    @Test
    void aTakeoverFromAnotherNetworkTellsTheOldNetwork() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        Ed25519Key key = Ed25519Key.random();
        L2psPeer first = peer(key);
        first.register(uid);
        watcher.ws.next("peer_joined");
        L2psPeer moved = peer(key);
        moved.register(freshUid());
        assertThat(Wire.payload(watcher.ws.next("peer_left"))).isEqualTo(obj("publicKey", key.publicKeyHex()));
        assertThat(first.ws.awaitClose()).isEqualTo(4000);
    }

    @Test
    void historyParametersAreValidated() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        String peer = registered(uid).pk();
        for (int i = 0; i < 205; i++) {
            a.send(peer, "Y3Q=");
        }
        assertThat(Wire.array(a.history(peer, "limit", 1000), "payload.messages")).hasSize(200); // clamped
        assertError(a.history(peer, "limit", -1), "INVALID_MESSAGE", "Invalid limit (expected an integer from 0 to 200)");
        assertError(a.history(peer, "limit", 1.5), "INVALID_MESSAGE", "Invalid limit (expected an integer from 0 to 200)");
        assertError(a.history(peer, "limit", "10"), "INVALID_MESSAGE", "Invalid limit (expected an integer from 0 to 200)");
        assertError(a.history(peer, "before", "soon"), "INVALID_MESSAGE",
                "Invalid before (expected a server timestamp in ms)");
        assertError(a.history(peer, "before", 1.5), "INVALID_MESSAGE",
                "Invalid before (expected a server timestamp in ms)");
        assertThat(Wire.type(a.history(peer, "before", Long.toString(System.currentTimeMillis() + 1000))))
                .isEqualTo("history_response");
    }

    @Test
    void sendFieldsMustBeStrings() {
        L2psPeer a = registered(freshUid());
        a.ws.send(Wire.frame("send", obj("to", 12345, "encrypted", obj("ciphertext", "c", "nonce", "n"),
                "messageHash", "h"), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE",
                "Invalid send payload: to, messageHash, encrypted.ciphertext and encrypted.nonce must be strings");
        a.ws.send(Wire.frame("send", obj("to", "x", "encrypted", obj("ciphertext", List.of(1), "nonce", "n"),
                "messageHash", "h"), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE",
                "Invalid send payload: to, messageHash, encrypted.ciphertext and encrypted.nonce must be strings");
    }

    @Test
    void messagesCarryTheirServerTime() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        long before = System.currentTimeMillis();
        a.send(b.pk(), "Y3Q=");
        JsonValue m = b.ws.await("message");
        long sentAt = Wire.num(m, "payload.sentAt");
        assertThat(sentAt).isBetween(before - 1, System.currentTimeMillis() + 1);
        assertThat(Wire.num(Wire.array(a.history(b.pk()), "payload.messages").get(0), "timestamp")).isEqualTo(sentAt);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
