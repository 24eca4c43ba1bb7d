package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The server checklist of l2ps.md §12 (items 1–30), over real WebSocket connections. Each test cites its
 * item; where hardened mode deliberately differs (docs/server.md), the test asserts the hardened behaviour.
 * Concrete classes run it in each mode.
 */
abstract class L2psConformanceTests extends ServerTestBase {
    static final String VECTOR_PROOF = "edaa2f89233d8553ee8edad25fe31c45b39708ef20925e09ceca315d0f9428eadacadaafa2a751b140959daa95cff2934adef82a0bf09857b9eec59b2ac5ba02";
    static final String HISTORY_VECTOR_PROOF = "6add7665a8d90d38a45abdad740e7649a4fdee6074a640c46319062efca98b30901dac484135bfbfa5b04caf1efdbda65899c1a0b8a86c4248e473384aca6d03";
    static final long VECTOR_TS = 1_709_312_400_000L;
    static final Pattern UUID_V4 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** Hardened mode's message ids (docs/server.md "Hardened mode"): UUID v7, time-ordered. */
    static final Pattern UUID_V7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    static void assertError(JsonValue frame, String code, String message) {
        JsonValue p = errorPayload(frame);
        assertThat(Wire.str(p, "code")).as(Wire.text(frame)).isEqualTo(code);
        assertThat(Wire.str(p, "message")).as(Wire.text(frame)).isEqualTo(message);
    }

    static String pad(int n) {
        return "x".repeat(n);
    }

    /** The §5.2 register frame of Alice, verbatim. */
    static JsonValue.JsonObject vectorRegister(String uid, Object timestamp) {
        return obj("type", "register", "payload", obj("publicKey", Ed25519Key.alice().publicKeyHex(), "l2psUid", uid,
                "proof", VECTOR_PROOF), "timestamp", timestamp);
    }

    /** An unregistered connection answers a discover with this error; used to sync. */
    static void assertUnregisteredSync(WsClient c) {
        c.send(Wire.frame("discover", obj(), 1));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before discovering peers");
    }

    /** Polls history (hang-guarded) until every message with the peer has the status. */
    static void awaitStatuses(L2psPeer requester, String peer, String status) {
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        while (true) {
            List<JsonValue> ms = Wire.array(requester.history(peer, "limit", 200), "payload.messages");
            if (!ms.isEmpty() && ms.stream().allMatch(m -> status.equals(Wire.str(m, "status")))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("statuses never all became " + status + ": " + ms);
            }
            Thread.onSpinWait();
        }
    }

    // --- 1 ------------------------------------------------------------------------------------------------

    @Test
    void item01_plainHttpGets426AndAnyPathUpgradesWithNothingSentOnOpen() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/", "/some/path?q=1")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.l2psUri().resolve(path)
                    .toString().replace("ws://", "http://").transform(URI::create)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(426);
            assertThat(r.body()).isEqualTo("WebSocket upgrade required");
        }
        WsClient c = track(WsClient.connect(server.l2psUri().resolve("/any/path")));
        assertUnregisteredSync(c); // the first frame is the answer to our own request: nothing on open
    }

    // --- 2–5 ----------------------------------------------------------------------------------------------

    @Test
    void item02_invalidJsonKeepsTheSocketOpen() {
        WsClient c = l2ps();
        c.send("not json");
        assertError(c.next(), "INVALID_MESSAGE", "Invalid JSON");
        assertUnregisteredSync(c);
    }

    @Test
    void item03_missingOrInvalidTypeOrPayload() {
        WsClient c = l2ps();
        for (String bad : List.of("{\"payload\":{}}", "{\"type\":\"x\"}", "{\"type\":\"\",\"payload\":{}}",
                "{\"type\":1,\"payload\":{}}", "{\"type\":\"discover\",\"payload\":\"s\"}", "[1]", "5")) {
            c.send(bad);
            assertError(c.next(), "INVALID_MESSAGE", "Missing or invalid type/payload");
        }
    }

    @Test
    void item04_unknownTypes() {
        WsClient c = l2ps();
        c.send("{\"type\":\"banana\",\"payload\":{}}");
        assertError(c.next(), "INVALID_MESSAGE", "Unknown type: banana");
        c.send("{\"type\":\"ack\",\"payload\":{\"messageHash\":\"h\"}}");
        if (hardened()) {
            // Hardened knows the ack extension; unregistered it is refused like any request.
            assertError(c.next(), "REGISTRATION_REQUIRED", "Register before acknowledging messages");
        } else {
            assertError(c.next(), "INVALID_MESSAGE", "Unknown type: ack");
        }
    }

    @Test
    void item05_frameSizeLimitIs262144Characters() {
        WsClient c = l2ps();
        String prefix = "{\"type\":\"discover\",\"payload\":{\"pad\":\"";
        String suffix = "\"},\"timestamp\":1}";
        String exact = prefix + pad(262_144 - prefix.length() - suffix.length()) + suffix;
        assertThat(exact).hasSize(262_144);
        c.send(exact);
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before discovering peers"); // processed
        c.send(exact + " ");
        assertError(c.next(), "INVALID_MESSAGE", "Message too large (max 262144 bytes)");
        // Binary frames are measured in bytes: 131 073 two-byte characters exceed the limit.
        String wide = prefix + "é".repeat(131_073) + suffix;
        c.sendBinary(wide.getBytes(StandardCharsets.UTF_8));
        assertError(c.next(), "INVALID_MESSAGE", "Message too large (max 262144 bytes)");
        c.sendBinary(exact.getBytes(StandardCharsets.UTF_8));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before discovering peers");
    }

    // --- 6–10: register -----------------------------------------------------------------------------------

    @Test
    void item06_registerWithMissingFields() {
        WsClient c = l2ps();
        String key = Ed25519Key.random().publicKeyHex();
        List<JsonValue> payloads = List.of(obj("l2psUid", "u", "proof", "p"), obj("publicKey", key, "proof", "p"),
                obj("publicKey", key, "l2psUid", "u"), obj("publicKey", "", "l2psUid", "u", "proof", "p"),
                obj("publicKey", key, "l2psUid", "", "proof", "p"), obj("publicKey", key, "l2psUid", "u", "proof", 0));
        for (JsonValue p : payloads) {
            c.send(Wire.frame("register", p, System.currentTimeMillis()));
            assertError(c.next(), "INVALID_MESSAGE", "Missing publicKey, l2psUid, or proof");
        }
    }

    @Test
    void item07_registerWithBadKeyFormat() {
        WsClient c = l2ps();
        for (String key : List.of("a".repeat(63), "g".repeat(64), "a".repeat(63) + " ")) {
            c.send(Wire.frame("register", obj("publicKey", key, "l2psUid", L2psPeer.UID, "proof", "00"), 1));
            assertError(c.next(), "INVALID_MESSAGE", "Invalid publicKey format (expected hex)");
        }
    }

    @Test
    void item07_aSixtyFiveCharacterKeyAliasesTheKeyInReferenceModeOnly() {
        // l2ps.md §5.2/B14: the reference decodes floor(65/2) = 32 bytes, so Alice's proof over the 65-char
        // string verifies. Hardened mode wants exactly 64 hex characters.
        Ed25519Key alice = Ed25519Key.alice();
        String alias = alice.publicKeyHex() + "0";
        long ts = System.currentTimeMillis();
        WsClient c = l2ps();
        c.send(Wire.frame("register", obj("publicKey", alias, "l2psUid", freshUid(), "proof",
                alice.sign("register:" + alias + ":" + ts)), ts));
        JsonValue reply = c.next();
        if (hardened()) {
            assertError(reply, "INVALID_MESSAGE", "Invalid publicKey format (expected hex)");
        } else {
            assertThat(Wire.type(reply)).isEqualTo("registered");
            assertThat(Wire.str(reply, "payload.publicKey")).isEqualTo(alias);
        }
    }

    @Test
    void item08_unknownNetworkIsReportedBeforeTheProofIsChecked() {
        WsClient c = l2ps();
        String key = Ed25519Key.random().publicKeyHex();
        c.send(Wire.frame("register", obj("publicKey", key, "l2psUid", "nope", "proof", "garbage"),
                System.currentTimeMillis()));
        if (hardened()) {
            // Hardened checks the proof first: an unauthenticated probe learns nothing about networks (B15).
            JsonValue p = errorPayload(c.next());
            assertThat(Wire.str(p, "code")).isEqualTo("INVALID_PROOF");
            assertThat(Wire.str(p, "message")).startsWith("Proof verification error: ");
        } else {
            assertError(c.next(), "L2PS_NOT_FOUND", "L2PS network nope not found");
        }
        Ed25519Key k = Ed25519Key.random();
        long ts = System.currentTimeMillis();
        c.send(Wire.frame("register", obj("publicKey", k.publicKeyHex(), "l2psUid", "nope", "proof",
                k.sign("register:" + k.publicKeyHex() + ":" + ts)), ts));
        assertError(c.next(), "L2PS_NOT_FOUND", "L2PS network nope not found");
    }

    @Test
    void item09_theSpecVectorRegistersAndBadSignaturesAreRefused() {
        WsClient c = l2ps();
        c.send(vectorRegister(freshUid(), VECTOR_TS));
        JsonValue reply = c.next();
        if (hardened()) {
            assertError(reply, "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
        } else {
            assertThat(Wire.type(reply)).isEqualTo("registered");
        }
        WsClient d = l2ps();
        char[] flipped = VECTOR_PROOF.toCharArray();
        flipped[0] = flipped[0] == 'e' ? 'f' : 'e'; // one bit: 0xe <-> 0xf
        d.send(obj("type", "register", "payload", obj("publicKey", Ed25519Key.alice().publicKeyHex(), "l2psUid",
                L2psPeer.UID, "proof", new String(flipped)), "timestamp", VECTOR_TS));
        assertError(d.next(), "INVALID_PROOF", "Signature verification failed");
        d.send(obj("type", "register", "payload", obj("publicKey", Ed25519Key.alice().publicKeyHex(), "l2psUid",
                L2psPeer.UID, "proof", "00112233445566778899"), "timestamp", VECTOR_TS));
        JsonValue p = errorPayload(d.next());
        assertThat(Wire.str(p, "code")).isEqualTo("INVALID_PROOF");
        assertThat(Wire.str(p, "message")).startsWith("Proof verification error: ");
    }

    @Test
    void item10_proofFreshnessReplayAndNumberFormatting() {
        String uid = freshUid();
        L2psPeer first = peer();
        long ts = System.currentTimeMillis();
        JsonValue.JsonObject frame = first.registerFrame(uid, ts);
        first.ws.send(frame);
        assertThat(Wire.type(first.ws.next())).isEqualTo("registered");
        // The identical frame replayed on a new connection.
        WsClient replay = l2ps();
        replay.send(frame);
        if (hardened()) {
            assertError(replay.next(), "INVALID_PROOF", "Proof already used");
        } else {
            assertThat(Wire.type(replay.next())).isEqualTo("registered");
            assertThat(first.ws.awaitClose()).isNotNegative(); // the replay took the key over
        }
        // A float timestamp verifies against its JavaScript string form (plain integer digits).
        L2psPeer floaty = peer();
        long now = System.currentTimeMillis();
        String text = "{\"type\":\"register\",\"payload\":{\"publicKey\":\"" + floaty.pk() + "\",\"l2psUid\":\"" + uid
                + "\",\"proof\":\"" + floaty.key.sign("register:" + floaty.pk() + ":" + now) + "\"},\"timestamp\":"
                + now + ".0}";
        floaty.ws.send(text);
        assertThat(Wire.type(floaty.ws.next())).isEqualTo("registered");
        // Years in the past: the reference accepts (the §5.2 vector is from 2024); hardened refuses.
        WsClient old = l2ps();
        old.send("{\"type\":\"register\",\"payload\":{\"publicKey\":\"" + Ed25519Key.alice().publicKeyHex()
                + "\",\"l2psUid\":\"" + uid + "\",\"proof\":\"" + VECTOR_PROOF + "\"},\"timestamp\":1.7093124E12}");
        if (hardened()) {
            assertError(old.next(), "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
        } else {
            assertThat(Wire.type(old.next())).isEqualTo("registered");
        }
    }

    // --- 11–13: registered, peer_joined, takeover ----------------------------------------------------------

    @Test
    void item11_registeredPayload() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        registered(freshUid()); // another network: never listed
        L2psPeer b = peer();
        long ts = System.currentTimeMillis();
        b.ws.send(obj("type", "register", "payload", obj("publicKey", b.pk(), "l2psUid", uid, "proof",
                b.key.sign("register:" + b.pk() + ":" + ts)), "timestamp", ts, "requestId", "req_1_abc"));
        JsonValue reg = b.ws.next("registered");
        JsonValue p = Wire.payload(reg);
        assertThat(Wire.bool(p, "success")).isTrue();
        assertThat(Wire.str(p, "publicKey")).isEqualTo(b.pk());
        assertThat(Wire.str(p, "l2psUid")).isEqualTo(uid);
        assertThat(Wire.strings(p, "onlinePeers")).containsExactly(a.pk());
        if (hardened()) {
            assertThat(((JsonValue.JsonObject) p).members().keySet())
                    .containsExactly("success", "publicKey", "l2psUid", "onlinePeers", "features");
            assertThat(Wire.strings(p, "features")).containsExactlyInAnyOrder("ack", "message_status", "key_directory",
                    "envelope", "server_challenge");
            assertThat(Wire.str(reg, "requestId")).isEqualTo("req_1_abc");
        } else {
            assertThat(((JsonValue.JsonObject) p).members().keySet())
                    .containsExactly("success", "publicKey", "l2psUid", "onlinePeers");
            assertThat(reg.get("requestId")).isEmpty();
        }
        assertThat(((JsonValue.JsonObject) reg).members().keySet()).startsWith("type", "payload", "timestamp");
    }

    @Test
    void item12_peerJoinedGoesOnceToEachSameNetworkPeer() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        L2psPeer other = registered(freshUid());
        assertThat(Wire.str(a.ws.next("peer_joined"), "payload.publicKey")).isEqualTo(b.pk());
        L2psPeer c = registered(uid);
        assertThat(Wire.str(a.ws.next("peer_joined"), "payload.publicKey")).isEqualTo(c.pk());
        assertThat(Wire.str(b.ws.next("peer_joined"), "payload.publicKey")).isEqualTo(c.pk());
        assertThat(a.sync()).isEmpty();
        assertThat(b.sync()).isEmpty();
        assertThat(other.sync()).isEmpty();
        assertThat(c.sync()).isEmpty(); // the newcomer gets no peer_joined about anyone
    }

    @Test
    void item13_sameKeyFromANewSocketTakesOver() {
        String uid = freshUid();
        Ed25519Key key = Ed25519Key.random();
        L2psPeer watcher = registered(uid);
        L2psPeer old = peer(key);
        old.register(uid);
        assertThat(Wire.str(watcher.ws.next("peer_joined"), "payload.publicKey")).isEqualTo(key.publicKeyHex());
        L2psPeer fresh = peer(key);
        fresh.register(uid);
        int code = old.ws.awaitClose();
        assertThat(code).isEqualTo(hardened() ? 4000 : 1005); // reference: a plain close without a code
        assertThat(Wire.str(watcher.ws.next("peer_joined"), "payload.publicKey")).isEqualTo(key.publicKeyHex());
        assertThat(watcher.sync()).isEmpty(); // no peer_left for the stale socket
        assertThat(Wire.strings(fresh.discover(), "payload.peers")).containsExactly(watcher.pk(), key.publicKeyHex());
    }

    // --- 14–22: send ---------------------------------------------------------------------------------------

    @Test
    void item14_requestsBeforeRegistration() {
        WsClient c = l2ps();
        String key = Ed25519Key.random().publicKeyHex();
        c.send(L2psPeer.sendFrame(key, "Y3Q=", "h"));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before sending");
        c.send(Wire.frame("history", obj("peerKey", key, "proof", "00"), 1));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register first");
        c.send(Wire.frame("discover", obj(), 1));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before discovering peers");
        c.send(Wire.frame("request_public_key", obj("targetId", key), 1));
        assertError(c.next(), "REGISTRATION_REQUIRED", "Register before requesting public keys");
    }

    @Test
    void item15_sendFieldErrorsInOrder() {
        L2psPeer a = registered(freshUid());
        String b = Ed25519Key.random().publicKeyHex();
        a.ws.send(Wire.frame("send", obj("to", b, "encrypted", obj("ciphertext", "c", "nonce", "n")), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Missing to, encrypted, or messageHash");
        a.ws.send(Wire.frame("send", obj("to", b, "encrypted", obj("ciphertext", "c"), "messageHash", "h"), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Encrypted payload must have ciphertext and nonce");
        a.ws.send(Wire.frame("send", obj("to", a.pk(), "encrypted", obj("nonce", "n", "ciphertext", pad(131_073)),
                "messageHash", "h"), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Ciphertext too large (max 131072 bytes)");
        assertThat(Wire.type(a.send(b, pad(131_072)))).isEqualTo("message_queued");
        a.ws.send(L2psPeer.sendFrame(a.pk(), "Y3Q=", L2psPeer.newHash()));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Cannot send message to yourself");
    }

    @Test
    void item16_liveDeliveryRelaysEncryptedVerbatim() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        String encrypted = "{\"nonce\":\"AAECAwQFBgcICQoL\",\"ciphertext\":\"SGVsbG8gQm9iIQ==\",\"ephemeralKey\":\"ZWs=\","
                + "\"extra\":{\"k\":[1,\"é\",null]}}";
        String hash = L2psPeer.newHash();
        a.ws.send("{\"type\":\"send\",\"payload\":{\"to\":\"" + b.pk() + "\",\"encrypted\":" + encrypted
                + ",\"messageHash\":\"" + hash + "\"},\"timestamp\":1}");
        String raw = b.ws.nextText();
        assertThat(raw).contains("\"encrypted\":" + encrypted);
        JsonValue m = WsClient.CODEC.parse(raw);
        assertThat(Wire.type(m)).isEqualTo("message");
        assertThat(Wire.str(m, "payload.from")).isEqualTo(a.pk());
        assertThat(Wire.str(m, "payload.messageHash")).isEqualTo(hash);
        assertThat(Wire.bool(m, "payload.offline")).isFalse();
        JsonValue sent = a.ws.next("message_sent");
        assertThat(Wire.payload(sent)).isEqualTo(obj("messageHash", hash, "l2psStatus", "submitted"));
    }

    @Test
    void item17_offlineOrOtherNetworkRecipientsAreQueued() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer elsewhere = registered(freshUid());
        String hash = L2psPeer.newHash();
        JsonValue ack = a.send(elsewhere.pk(), "Y3Q=", hash);
        assertThat(Wire.payload(ack)).isEqualTo(obj("messageHash", hash, "status", "queued"));
        JsonValue ack2 = a.send(Ed25519Key.random().publicKeyHex(), "Y3Q=");
        assertThat(Wire.type(ack2)).isEqualTo("message_queued");
        assertThat(a.sync()).isEmpty();
        assertThat(elsewhere.sync()).isEmpty();
    }

    @Test
    void item18_reusedMessageHashesAreDuplicates() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        L2psPeer c = registered(freshUid());
        String hash = L2psPeer.newHash();
        assertThat(Wire.type(a.send(b.pk(), "Y3Q=", hash))).isEqualTo("message_sent");
        b.ws.await("message");
        assertError(c.send(b.pk(), "Y3Q=", hash), "L2PS_SUBMIT_FAILED", "Duplicate message"); // other sender+network
        JsonValue again = a.send(b.pk(), "Y3Q=", hash);
        if (hardened()) {
            // Idempotent send: the same sender repeating a hash gets the original acknowledgement.
            assertThat(Wire.payload(again)).isEqualTo(obj("messageHash", hash, "l2psStatus", "submitted"));
        } else {
            assertError(again, "L2PS_SUBMIT_FAILED", "Duplicate message");
        }
        assertThat(b.sync()).isEmpty(); // no second delivery either way
        // A failed message keeps its hash (l2ps.md §5.5).
        String failing = "fail-" + L2psPeer.newHash();
        assertError(a.send(b.pk(), "Y3Q=", failing), "L2PS_SUBMIT_FAILED", "Transaction already processed");
        assertError(c.send(b.pk(), "Y3Q=", failing), "L2PS_SUBMIT_FAILED", "Duplicate message");
        assertError(a.send(b.pk(), "Y3Q=", failing), "L2PS_SUBMIT_FAILED",
                hardened() ? "Transaction already processed" : "Duplicate message");
    }

    @Override
    protected void configure(DemosImServer.Builder builder) {
        // Items 19 and 22 send 400 frames as fast as the server answers; flood control is tested elsewhere.
        builder.rateLimit(100_000, 100_000);
        // The fault hook of items 18 and 20: hashes starting with "fail-" are refused by the L2PS layer.
        builder.submissionPolicy(new SubmissionPolicy() {
            @Override
            public Optional<String> admitTransaction(Transaction tx) {
                return tx.messageHash().startsWith("fail-") ? Optional.of("Transaction already processed")
                        : Optional.empty();
            }
        });
    }

    @Test
    void item19_twoHundredQueuedPerSender() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer online = registered(uid);
        String offline = Ed25519Key.random().publicKeyHex();
        for (int i = 0; i < 200; i++) {
            assertThat(Wire.type(a.send(offline, "Y3Q="))).isEqualTo("message_queued");
        }
        assertError(a.send(offline, "Y3Q="), "L2PS_SUBMIT_FAILED", "Offline message limit reached");
        assertError(a.send(Ed25519Key.random().publicKeyHex(), "Y3Q="), "L2PS_SUBMIT_FAILED",
                "Offline message limit reached"); // per sender, across recipients
        assertThat(Wire.type(a.send(online.pk(), "Y3Q="))).isEqualTo("message_sent");
    }

    @Test
    void item20_l2psSubmissionFailure() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        String hash = "fail-" + L2psPeer.newHash();
        assertError(a.send(b.pk(), "Y3Q=", hash), "L2PS_SUBMIT_FAILED", "Transaction already processed");
        assertThat(b.sync()).isEmpty();
        JsonValue h = a.history(b.pk());
        JsonValue stored = Wire.array(h, "payload.messages").get(0);
        assertThat(Wire.str(stored, "messageHash")).isEqualTo(hash);
        assertThat(Wire.str(stored, "status")).isEqualTo("failed");
        assertThat(Wire.at(stored, "l2psTxHash")).isEqualTo(JsonValue.nullValue());
    }

    @Test
    void item21_queuedMessagesAreDeliveredOnceAfterRegistration() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        Ed25519Key bKey = Ed25519Key.random();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String hash = "q" + i + "-" + L2psPeer.newHash();
            hashes.add(hash);
            assertThat(Wire.type(a.send(bKey.publicKeyHex(), "Y3Q=" + i, hash))).isEqualTo("message_queued");
        }
        // B registers first in another network: that queue is not its to take there.
        L2psPeer elsewhere = peer(bKey);
        elsewhere.register(freshUid());
        assertThat(elsewhere.sync()).isEmpty();
        L2psPeer b = peer(bKey);
        JsonValue reg = b.register(uid);
        assertThat(Wire.type(reg)).isEqualTo("registered");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonValue m = b.ws.next("message");
            assertThat(Wire.bool(m, "payload.offline")).isTrue();
            assertThat(Wire.str(m, "payload.from")).isEqualTo(a.pk());
            assertThat(Wire.str(m, "payload.encrypted.ciphertext")).isEqualTo("Y3Q=" + i);
            got.add(Wire.str(m, "payload.messageHash"));
        }
        assertThat(got).containsExactlyElementsOf(hashes);
        awaitStatuses(a, bKey.publicKeyHex(), "sent"); // the rows become `sent` once written
        b.close();
        L2psPeer again = peer(bKey);
        again.register(uid);
        assertThat(again.sync()).isEmpty(); // no redelivery
    }

    @Test
    void item22_drainingRestoresTheSendersQuota() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        Ed25519Key x = Ed25519Key.random();
        for (int i = 0; i < 200; i++) {
            assertThat(Wire.type(a.send(x.publicKeyHex(), "Y3Q="))).isEqualTo("message_queued");
        }
        assertError(a.send(Ed25519Key.random().publicKeyHex(), "Y3Q="), "L2PS_SUBMIT_FAILED",
                "Offline message limit reached");
        L2psPeer xPeer = peer(x);
        xPeer.register(uid);
        for (int i = 0; i < 200; i++) {
            xPeer.ws.next("message");
        }
        awaitStatuses(a, x.publicKeyHex(), "sent"); // the drain has completed (quota reset before the update)
        String y = Ed25519Key.random().publicKeyHex();
        for (int i = 0; i < 200; i++) {
            assertThat(Wire.type(a.send(y, "Y3Q="))).isEqualTo("message_queued");
        }
        assertError(a.send(y, "Y3Q="), "L2PS_SUBMIT_FAILED", "Offline message limit reached");
    }

    // --- 23–25: history ------------------------------------------------------------------------------------

    @Test
    void item23_historyProofs() {
        String uid = freshUid();
        WsClient alice = l2ps();
        String bob = Ed25519Key.bob().publicKeyHex();
        if (hardened()) {
            L2psPeer fresh = peer(Ed25519Key.alice());
            fresh.register(uid);
            alice = fresh.ws;
        } else {
            alice.send(vectorRegister(uid, VECTOR_TS));
            alice.next("registered");
        }
        // The §7.1 vector, verbatim.
        alice.send(obj("type", "history", "payload", obj("peerKey", bob, "limit", 20, "proof", HISTORY_VECTOR_PROOF),
                "timestamp", 1_709_312_460_000L));
        if (hardened()) {
            assertError(alice.next(), "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
        } else {
            JsonValue r = alice.next("history_response");
            assertThat(Wire.payload(r)).isEqualTo(obj("messages", List.of(), "hasMore", false));
        }
        long now = System.currentTimeMillis();
        String good = Ed25519Key.alice().sign("history:" + bob + ":" + now);
        String bad = (good.charAt(0) == '0' ? "1" : "0") + good.substring(1);
        alice.send(Wire.frame("history", obj("peerKey", bob, "proof", bad), now));
        assertError(alice.next(), "INVALID_PROOF", "History proof failed");
        alice.send(Wire.frame("history", obj("peerKey", bob, "proof", "00112233445566778899"), now));
        assertError(alice.next(), "INVALID_PROOF", "Proof verification error");
        alice.send(Wire.frame("history", obj("proof", good), now));
        assertError(alice.next(), "INVALID_MESSAGE", "Missing peerKey or proof");
        alice.send(Wire.frame("history", obj("peerKey", bob), now));
        assertError(alice.next(), "INVALID_MESSAGE", "Missing peerKey or proof");
        alice.send(Wire.frame("history", obj("peerKey", bob, "proof", good), now));
        assertThat(Wire.type(alice.next())).isEqualTo("history_response");
    }

    @Test
    void item24_historySelectionOrderLimitAndPaging() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        L2psPeer c = registered(uid);
        List<String> pair = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            JsonValue ack = i % 2 == 0 ? a.send(b.pk(), "Y3Q=") : b.send(a.pk(), "Y3Q=");
            pair.add(Wire.str(ack, "payload.messageHash"));
        }
        String failed = "fail-" + L2psPeer.newHash();
        a.send(b.pk(), "Y3Q=", failed);
        pair.add(failed);
        for (int i = 0; i < 26; i++) {
            pair.add(Wire.str(a.send(b.pk(), "Y3Q="), "payload.messageHash"));
        }
        a.send(c.pk(), "Y3Q="); // another pair
        L2psPeer aElsewhere = peer(a.key); // the same key in another network sees nothing of this
        aElsewhere.register(freshUid());
        assertThat(Wire.array(aElsewhere.history(b.pk()), "payload.messages")).isEmpty();
        a = peer(a.key);
        a.register(uid); // back (takeover of the other socket)

        JsonValue page = a.history(b.pk()); // default limit 50
        List<JsonValue> messages = Wire.array(page, "payload.messages");
        assertThat(messages).hasSize(50);
        assertThat(Wire.bool(page, "payload.hasMore")).isTrue();
        List<Long> times = messages.stream().map(m -> Wire.num(m, "timestamp")).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        List<String> newestFirst = new ArrayList<>(pair);
        java.util.Collections.reverse(newestFirst);
        assertThat(messages).extracting(m -> Wire.str(m, "messageHash")).isSubsetOf(pair);
        assertThat(Wire.array(a.history(b.pk(), "limit", 53), "payload.messages")).extracting(m -> Wire.str(m, "status"))
                .contains("failed", "delivered");
        JsonValue all = a.history(b.pk(), "limit", 53);
        assertThat(Wire.bool(all, "payload.hasMore")).isFalse();
        assertThat(Wire.array(all, "payload.messages")).hasSize(53);
        JsonValue zero = a.history(b.pk(), "limit", 0);
        assertThat(Wire.array(zero, "payload.messages")).isEmpty();
        assertThat(Wire.bool(zero, "payload.hasMore")).isTrue();
        // before: strict, and ignored when 0
        long oldest = Wire.num(messages.get(messages.size() - 1), "timestamp");
        JsonValue older = a.history(b.pk(), "before", oldest);
        assertThat(Wire.array(older, "payload.messages")).allSatisfy(m -> assertThat(Wire.num(m, "timestamp"))
                .isLessThan(oldest));
        assertThat(Wire.array(a.history(b.pk(), "before", 0), "payload.messages")).hasSize(50);
        if (hardened()) {
            // Strictly increasing server times per conversation: paging by `before` sees every message once.
            List<String> paged = new ArrayList<>();
            Long before = null;
            while (true) {
                JsonValue p = before == null ? a.history(b.pk(), "limit", 7) : a.history(b.pk(), "limit", 7, "before", before);
                List<JsonValue> ms = Wire.array(p, "payload.messages");
                ms.forEach(m -> paged.add(Wire.str(m, "messageHash")));
                if (!Wire.bool(p, "payload.hasMore")) {
                    break;
                }
                before = Wire.num(ms.get(ms.size() - 1), "timestamp");
            }
            assertThat(paged).containsExactlyElementsOf(newestFirst);
        }
    }

    @Test
    void item25_storedMessageShape() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        String offline = Ed25519Key.random().publicKeyHex();
        String hash = L2psPeer.newHash();
        a.send(offline, "Y3Q=", hash);
        long before = System.currentTimeMillis();
        JsonValue stored = Wire.array(a.history(offline), "payload.messages").get(0);
        assertThat(((JsonValue.JsonObject) stored).members().keySet()).containsExactly("id", "from", "to",
                "messageHash", "encrypted", "l2psUid", "l2psTxHash", "timestamp", "status");
        // A UUID the client did not supply: v4 as the reference, v7 in hardened mode (its time is the send's).
        String id = Wire.str(stored, "id");
        assertThat(id).matches(hardened() ? UUID_V7 : UUID_V4);
        if (hardened()) {
            long idMillis = UUID.fromString(id).getMostSignificantBits() >>> 16;
            assertThat(idMillis).isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis());
        }
        assertThat(Wire.str(stored, "from")).isEqualTo(a.pk());
        assertThat(Wire.str(stored, "to")).isEqualTo(offline);
        assertThat(Wire.str(stored, "messageHash")).isEqualTo(hash);
        assertThat(Wire.at(stored, "encrypted")).isEqualTo(obj("ciphertext", "Y3Q=", "nonce", "AAECAwQFBgcICQoL"));
        assertThat(Wire.str(stored, "l2psUid")).isEqualTo(uid);
        assertThat(Wire.str(stored, "l2psTxHash")).matches("[0-9a-f]{64}");
        assertThat(Wire.num(stored, "timestamp")).isBetween(before - 60_000, before);
        assertThat(Wire.str(stored, "status")).isEqualTo("queued");
    }

    // --- 26–30 ---------------------------------------------------------------------------------------------

    @Test
    void item26_discoverListsTheNetworkIncludingSelf() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        registered(freshUid());
        assertThat(Wire.strings(b.discover(), "payload.peers")).containsExactly(a.pk(), b.pk());
        assertThat(Wire.str(b.discover(), "type")).isEqualTo("discover_response");
    }

    @Test
    void item27_requestPublicKey() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        L2psPeer other = registered(freshUid());
        for (Object[] c : new Object[][] {{b.pk(), b.pk()}, {other.pk(), null},
                {Ed25519Key.random().publicKeyHex(), null}, {b.pk().toUpperCase(), null}}) {
            a.ws.send(Wire.frame("request_public_key", obj("targetId", c[0]), 1));
            JsonValue r = a.ws.await("public_key_response");
            assertThat(Wire.str(r, "payload.targetId")).isEqualTo(c[0]);
            assertThat(Wire.at(r, "payload.publicKey")).isEqualTo(Wire.json(c[1]));
        }
        a.ws.send(Wire.frame("request_public_key", obj(), 1));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Missing targetId");
    }

    @Test
    void item28_closingARegisteredSocketNotifiesTheNetwork() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        L2psPeer other = registered(freshUid());
        a.ws.await("peer_joined");
        b.close();
        assertThat(Wire.payload(a.ws.next("peer_left"))).isEqualTo(obj("publicKey", b.pk()));
        assertThat(other.sync()).isEmpty();
        assertThat(Wire.strings(a.discover(), "payload.peers")).containsExactly(a.pk());
    }

    @Test
    void item29_errorFramesHaveCodeAndMessageOnly() {
        WsClient c = l2ps();
        for (int i = 0; i < 20; i++) {
            c.send("{\"type\":\"banana\",\"payload\":{},\"requestId\":\"r" + i + "\"}");
            JsonValue e = c.next();
            assertThat(((JsonValue.JsonObject) Wire.payload(e)).members().keySet()).containsExactly("code", "message");
            if (hardened()) {
                assertThat(Wire.str(e, "requestId")).isEqualTo("r" + i);
            } else {
                assertThat(e.get("requestId")).isEmpty();
            }
        }
        assertThat(c.isClosed()).isFalse();
        assertUnregisteredSync(c);
    }

    @Test
    void item30_unknownFieldsAreIgnoredOrRelayed() {
        String uid = freshUid();
        L2psPeer a = peer();
        long ts = System.currentTimeMillis();
        a.ws.send(obj("type", "register", "payload", obj("publicKey", a.pk(), "l2psUid", uid, "proof",
                a.key.sign("register:" + a.pk() + ":" + ts), "color", "blue"), "timestamp", ts, "requestId", "r1",
                "extra", List.of(1, 2)));
        assertThat(Wire.type(a.ws.next())).isEqualTo("registered");
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        a.ws.send(obj("type", "send", "payload", obj("to", b.pk(), "encrypted", obj("ciphertext", "Yw==", "nonce", "bg==",
                "mac", "bWFj"), "messageHash", L2psPeer.newHash(), "priority", 9), "timestamp", 1, "requestId", "r2"));
        JsonValue m = b.ws.next("message");
        assertThat(Wire.str(m, "payload.encrypted.mac")).isEqualTo("bWFj");
        assertThat(Wire.type(a.ws.next())).isEqualTo("message_sent");
    }
}
