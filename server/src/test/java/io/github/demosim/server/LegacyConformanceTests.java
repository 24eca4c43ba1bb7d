package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The server checklist of legacy-and-crypto.md §C.2 (items 19–27) and the frames of §A, over real WebSocket
 * connections, in each mode (hardened differs only where docs/server.md says so).
 */
abstract class LegacyConformanceTests extends ServerTestBase {
    static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    static final Pattern UUID_V4 = L2psConformanceTests.UUID_V4;

    @Override
    protected void configure(DemosImServer.Builder builder) {
        builder.rateLimit(100_000, 100_000).submissionPolicy(new SubmissionPolicy() {
            @Override
            public Optional<String> recordLegacyMessage(LegacyMessage m) {
                return m.targetId().startsWith("chainfail") ? Optional.of("mempool refused") : Optional.empty();
            }
        });
    }

    /** Checks an error frame: exactly errorType, details and an ISO-8601 UTC millisecond timestamp. */
    static void assertError(JsonValue frame, String errorType, String details) {
        assertThat(Wire.type(frame)).as(Wire.text(frame)).isEqualTo("error");
        JsonValue p = Wire.payload(frame);
        assertThat(((JsonValue.JsonObject) p).members().keySet()).containsExactly("errorType", "details", "timestamp");
        assertThat(Wire.str(p, "errorType")).as(Wire.text(frame)).isEqualTo(errorType);
        assertThat(Wire.str(p, "details")).as(Wire.text(frame)).isEqualTo(details);
        assertThat(Wire.str(p, "timestamp")).matches(ISO_MILLIS);
        assertThat(((JsonValue.JsonObject) frame).members().keySet()).containsExactly("type", "payload");
    }

    LegacyPeer registered() {
        LegacyPeer p = track(new LegacyPeer(WsClient.connect(server.legacyUri()), LegacyPeer.newId()));
        JsonValue ack = p.register();
        assertThat(Wire.payload(ack)).isEqualTo(obj("success", true, "clientId", p.clientId));
        return p;
    }

    LegacyPeer unregistered() {
        return track(new LegacyPeer(WsClient.connect(server.legacyUri()), LegacyPeer.newId()));
    }

    @Test
    void plainHttpGets500UpgradeFailed() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.legacyUri().toString().replace("ws://", "http://") + "x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("Upgrade failed");
    }

    // --- 19, 20 -------------------------------------------------------------------------------------------

    @Test
    void item19_20_envelopeFirstMalformedJsonIsAnInternalErrorUnknownTypesNamed() {
        WsClient c = legacy();
        c.send("not json");
        JsonValue e = c.next();
        assertThat(Wire.str(e, "payload.errorType")).isEqualTo("INTERNAL_ERROR");
        assertThat(Wire.str(e, "payload.details")).startsWith("JSON Parse error");
        for (String bad : List.of("{\"type\":\"register\"}", "{\"payload\":{}}", "{\"type\":\"\",\"payload\":{}}",
                "{\"type\":\"register\",\"payload\":0}", "[]", "\"s\"")) {
            c.send(bad);
            assertError(c.next(), "INVALID_MESSAGE", "Invalid message format");
        }
        c.send("{\"type\":\"foo\",\"payload\":{}}");
        assertError(c.next(), "INVALID_MESSAGE", "Unknown message type: foo");
        c.send("{\"type\":7,\"payload\":{}}");
        assertError(c.next(), "INVALID_MESSAGE", "Unknown message type: 7");
        c.send("null");
        JsonValue n = c.next();
        assertThat(Wire.str(n, "payload.errorType")).isEqualTo("INTERNAL_ERROR");
        assertThat(c.isClosed()).isFalse();
    }

    // --- 21: register -----------------------------------------------------------------------------------------

    @Test
    void item21_registerChecksInOrder() {
        LegacyPeer alice = registered();
        // CLIENT_ID_TAKEN comes first, even with an unusable key and proof.
        WsClient c = legacy();
        c.send(Wire.legacy("register", obj("clientId", alice.clientId, "publicKey", List.of(), "verification",
                obj("x", 1))));
        assertError(c.next(), "CLIENT_ID_TAKEN", "Client ID " + alice.clientId + " is already taken");
        String id = LegacyPeer.newId();
        c.send(Wire.legacy("register", obj("clientId", id, "publicKey", List.of(), "verification",
                LegacyPeer.katVerification())));
        assertError(c.next(), "INVALID_PUBLIC_KEY", "Invalid public key format");
        c.send(Wire.legacy("register", obj("clientId", id, "publicKey", LegacyPeer.byteArray(LegacyPeer.KAT_KEM_KEY),
                "verification", obj("algorithm", "ml-dsa", "serializedSignedData", 5))));
        assertError(c.next(), "INTERNAL_ERROR", "Failed to complete registration");
        byte[] badSig = Arrays.copyOf(LegacyPeer.KAT_PROOF, LegacyPeer.KAT_PROOF.length);
        badSig[100] ^= 1;
        JsonValue.JsonObject v = LegacyPeer.katVerification();
        java.util.Map<String, JsonValue> m = new java.util.LinkedHashMap<>(v.members());
        m.put("serializedSignedData", JsonValue.of(Base64.getEncoder().encodeToString(badSig)));
        c.send(Wire.legacy("register", obj("clientId", id, "publicKey", LegacyPeer.byteArray(LegacyPeer.KAT_KEM_KEY),
                "verification", new JsonValue.JsonObject(m))));
        assertError(c.next(), "INVALID_PROOF", "Invalid proof");
        c.send(LegacyPeer.katRegister(id));
        assertThat(Wire.payload(c.next("register"))).isEqualTo(obj("success", true, "clientId", id));
    }

    @Test
    void item21_anSdkMadeProofRegisters() {
        WsClient c = legacy();
        String id = LegacyPeer.newId();
        c.send(LegacyPeer.sdkRegister(id));
        assertThat(Wire.payload(c.next("register"))).isEqualTo(obj("success", true, "clientId", id));
    }

    @Test
    void item21_aProofOfAnotherKeyIsAcceptedOnlyInReferenceMode() {
        WsClient c = legacy();
        String id = LegacyPeer.newId();
        byte[] otherKey = new byte[1184];
        otherKey[0] = 1;
        c.send(Wire.legacy("register", obj("clientId", id, "publicKey", LegacyPeer.byteArray(otherKey),
                "verification", LegacyPeer.katVerification())));
        if (hardened()) {
            assertError(c.next(), "INVALID_PROOF", "Invalid proof");
            c.send(Wire.legacy("register", obj("clientId", id, "publicKey", List.of(1, 2, 3), "verification",
                    LegacyPeer.katVerification())));
            assertError(c.next(), "INVALID_PUBLIC_KEY", "Invalid public key format"); // 1184 bytes or nothing
        } else {
            assertThat(Wire.type(c.next())).isEqualTo("register"); // C.1 #1: the proof is not bound to the key
        }
    }

    @Test
    void item21_aSchemaErrorDoesNotStopTheReferenceRegister() {
        WsClient c = legacy();
        c.send(Wire.legacy("register", obj("clientId", LegacyPeer.newId())));
        assertError(c.next(), "INVALID_MESSAGE", "Invalid message schema");
        if (!hardened()) {
            assertError(c.next(), "INVALID_PUBLIC_KEY", "Invalid public key format"); // C.1 #2: no return
        }
        c.send(Wire.legacy("discover", obj()));
        assertThat(Wire.type(c.next())).isEqualTo("discover");
    }

    @Test
    void item21_offlineMessagesFollowTheAckOldestFirstOnce() {
        LegacyPeer alice = registered();
        String bob = LegacyPeer.newId();
        for (int i = 0; i < 3; i++) {
            alice.send(bob, obj("algorithm", "ml-kem-aes", "n", i));
            assertThat(Wire.payload(alice.ws.next("message_queued"))).isEqualTo(obj("targetId", bob, "status", "offline",
                    "message", "Message stored for offline delivery"));
        }
        long after = System.currentTimeMillis();
        LegacyPeer b = track(new LegacyPeer(WsClient.connect(server.legacyUri()), bob));
        b.register();
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            JsonValue m = b.ws.next("message");
            assertThat(((JsonValue.JsonObject) Wire.payload(m)).members().keySet())
                    .containsExactly("message", "fromId", "timestamp");
            assertThat(Wire.at(m, "payload.message")).isEqualTo(obj("algorithm", "ml-kem-aes", "n", i));
            assertThat(Wire.str(m, "payload.fromId")).isEqualTo(alice.clientId);
            long ts = Wire.num(m, "payload.timestamp");
            assertThat(ts).isBetween(previous, after);
            previous = ts;
        }
        assertThat(b.sync()).isEmpty();
        b.close();
        awaitGone(alice, bob);
        // §A.8: each row is marked sent once written. A reference server handles one connection's frames
        // concurrently (§A.6), so b's round trip above does not wait for its registration to mark them: wait for
        // the store, else a registration in between gets them again, on the reference node as here.
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        while (count("SELECT COUNT(*) FROM legacy_offline_messages WHERE recipient_id = ? AND status = 'pending'",
                bob) > 0) {
            assertThat(System.nanoTime()).as("rows marked sent").isLessThan(deadline);
            L2psHardenedTests.sleep(10);
        }
        LegacyPeer again = track(new LegacyPeer(WsClient.connect(server.legacyUri()), bob));
        again.register();
        assertThat(again.sync()).isEmpty(); // marked sent: never again
    }

    /** Waits (hang-guarded) until a client id is no longer registered. */
    static void awaitGone(LegacyPeer asker, String clientId) {
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        while (true) {
            asker.ws.send(Wire.legacy("discover", obj()));
            JsonValue d = asker.ws.await("discover");
            if (!Wire.strings(d, "payload.peers").contains(clientId)) {
                return;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            L2psHardenedTests.sleep(10);
        }
    }

    // --- 22, 23 ---------------------------------------------------------------------------------------------

    @Test
    void item22_whatNeedsRegistration() {
        LegacyPeer other = registered();
        LegacyPeer c = unregistered();
        c.ws.send(Wire.legacy("discover", obj()));
        assertThat(Wire.strings(c.ws.next("discover"), "payload.peers")).contains(other.clientId);
        c.ws.send(Wire.legacy("request_public_key", obj("targetId", other.clientId)));
        assertThat(Wire.type(c.ws.next())).isEqualTo("public_key_response");
        c.send(other.clientId, obj("x", 1));
        assertError(c.ws.next(), "REGISTRATION_REQUIRED", "You must register before sending messages");
        c.ws.send(Wire.legacy("debug_question", obj()));
        assertError(c.ws.next(), "REGISTRATION_REQUIRED", "You must register before sending debug messages");
        c.ws.send(Wire.legacy("message", obj("targetId", other.clientId)));
        assertError(c.ws.next(), "INVALID_MESSAGE", "Missing required message fields");
    }

    @Test
    void item23_requestPublicKey() {
        LegacyPeer a = registered();
        LegacyPeer c = unregistered();
        c.ws.send(Wire.legacy("request_public_key", obj("targetId", "nobody-" + LegacyPeer.newId())));
        JsonValue e = c.ws.next();
        assertThat(Wire.str(e, "payload.errorType")).isEqualTo("PEER_NOT_FOUND");
        assertThat(Wire.str(e, "payload.details")).matches("Target peer nobody-c-[0-9a-f]{8} not found");
        c.ws.send(Wire.legacy("request_public_key", obj("targetId", a.clientId)));
        JsonValue r = c.ws.next("public_key_response");
        assertThat(Wire.payload(r)).isEqualTo(obj("peerId", a.clientId, "publicKey",
                LegacyPeer.byteArray(LegacyPeer.KAT_KEM_KEY)));
        c.ws.send(Wire.legacy("request_public_key", obj("targetId", "")));
        assertError(c.ws.next(), "INVALID_MESSAGE", "Missing target ID");
    }

    // --- 24, 25, 26 ------------------------------------------------------------------------------------------

    @Test
    void item24_liveMessagesAreForwardedUnchangedWithoutAck() {
        LegacyPeer a = registered();
        LegacyPeer b = registered();
        String message = "{\"algorithm\":\"ml-kem-aes\",\"serializedCipherText\":\"AAEC\",\"serializedEncryptedData\":"
                + "\"AAECAwQFBgcICQoLA2a2yiz81pAZcWbzwTHi1/XYg+OPNcsq+/0H\",\"x\":[1,{\"y\":null}]}";
        a.ws.send("{\"type\":\"message\",\"payload\":{\"targetId\":\"" + b.clientId + "\",\"message\":" + message + "}}");
        String raw = b.ws.nextText();
        assertThat(raw).isEqualTo("{\"type\":\"message\",\"payload\":{\"message\":" + message + ",\"fromId\":\""
                + a.clientId + "\"}}");
        assertThat(a.sync()).isEmpty(); // no acknowledgement to the sender
        a.send(a.clientId, obj("self", true)); // sending to yourself is allowed
        assertThat(Wire.at(a.ws.next("message"), "payload.message")).isEqualTo(obj("self", true));
    }

    @Test
    void item24_offlineStoreLimitIs100PerSender() {
        LegacyPeer a = registered();
        for (int i = 0; i < 100; i++) {
            a.send("offline-" + (i % 3) + "-" + a.clientId, obj("i", i));
            assertThat(Wire.type(a.ws.next())).isEqualTo("message_queued");
        }
        a.send("offline-x-" + a.clientId, obj("i", 100));
        assertError(a.ws.next(), "INTERNAL_ERROR",
                "Offline message limit reached (100 messages). Please wait for recipient to come online.");
    }

    @Test
    void item24_aRefusedChainWriteStoresAndDeliversNothing() {
        LegacyPeer a = registered();
        String offline = "chainfail-" + LegacyPeer.newId();
        a.send(offline, obj("x", 1));
        assertError(a.ws.next(), "INTERNAL_ERROR", "Failed to store offline message");
        LegacyPeer target = track(new LegacyPeer(WsClient.connect(server.legacyUri()), "chainfail-" + LegacyPeer.newId()));
        target.register();
        a.send(target.clientId, obj("x", 2));
        assertError(a.ws.next(), "INTERNAL_ERROR", "Failed to store message");
        assertThat(target.sync()).isEmpty();
        LegacyPeer late = track(new LegacyPeer(WsClient.connect(server.legacyUri()), offline));
        late.register();
        assertThat(late.sync()).isEmpty(); // the stored row was removed again
    }

    @Test
    void item25_closeNotifiesEveryRemainingPeer() {
        LegacyPeer a = registered();
        LegacyPeer b = registered();
        LegacyPeer gone = registered();
        LegacyPeer never = unregistered();
        gone.close();
        assertThat(Wire.payload(a.ws.await("peer_disconnected"))).isEqualTo(obj("peerId", gone.clientId));
        assertThat(Wire.payload(b.ws.await("peer_disconnected"))).isEqualTo(obj("peerId", gone.clientId));
        never.close(); // never registered: nothing
        assertThat(a.sync()).noneMatch(f -> "peer_disconnected".equals(Wire.type(f))
                && !gone.clientId.equals(Wire.str(f, "payload.peerId")));
    }

    // legacy-and-crypto.md §C.1 #3: one socket may register several ids; the reference releases only the first when
    // the socket closes, so the others stay behind as ghosts: their messages vanish (no message_queued, nothing
    // stored) and their owners get CLIENT_ID_TAKEN until a restart. Hardened mode releases them all.
    @Test
    void aSocketWithSeveralIdsReleasesThemWhenItCloses() {
        LegacyPeer watcher = registered();
        LegacyPeer multi = registered();
        String second = LegacyPeer.newId();
        multi.ws.send(LegacyPeer.katRegister(second));
        assertThat(Wire.payload(multi.ws.next("register"))).isEqualTo(obj("success", true, "clientId", second));
        multi.close();
        assertThat(Wire.payload(watcher.ws.await("peer_disconnected"))).isEqualTo(obj("peerId", multi.clientId));
        if (hardened()) {
            assertThat(Wire.payload(watcher.ws.next("peer_disconnected"))).isEqualTo(obj("peerId", second));
        }
        awaitGone(watcher, multi.clientId);

        watcher.send(second, obj("x", 1));
        LegacyPeer owner = track(new LegacyPeer(WsClient.connect(server.legacyUri()), second));
        if (hardened()) {
            assertThat(Wire.payload(watcher.ws.next("message_queued"))).isEqualTo(obj("targetId", second, "status",
                    "offline", "message", "Message stored for offline delivery"));
            owner.register();
            assertThat(Wire.at(owner.ws.next("message"), "payload.message")).isEqualTo(obj("x", 1));
        } else {
            assertThat(watcher.sync()).as("written to the ghost's dead socket: nothing").isEmpty();
            owner.ws.send(LegacyPeer.katRegister(second));
            assertError(owner.ws.next(), "CLIENT_ID_TAKEN", "Client ID " + second + " is already taken");
        }
    }

    // legacy-and-crypto.md §C.1 #9: offline messages are addressed to a bare id, so whoever registers it next gets
    // them. Hardened mode binds the id to the ML-DSA key whose proof first registered it.
    @Test
    void anIdBelongsToTheKeyThatFirstRegisteredIt() {
        LegacyPeer sender = registered();
        LegacyPeer owner = registered(); // the known-answer ML-DSA key
        owner.close();
        // A discover handled between the id's release and the broadcast already lists it gone, so the
        // peer_disconnected can follow the discover answer awaitGone waits for: taken here, before what follows.
        sender.ws.awaitFrame(f -> "peer_disconnected".equals(Wire.type(f))
                && owner.clientId.equals(Wire.str(f, "payload.peerId")));
        awaitGone(sender, owner.clientId);
        sender.send(owner.clientId, obj("secret", 1));
        sender.ws.next("message_queued");

        WsClient thief = legacy();
        thief.send(LegacyPeer.sdkRegister(owner.clientId)); // another identity's valid proof for the same id
        if (hardened()) {
            assertError(thief.next(), "CLIENT_ID_TAKEN", "Client ID " + owner.clientId + " is bound to another key: "
                    + "only the ML-DSA key that first registered it can register it again; choose another client id");
            assertThat(sender.sync()).as("no peer_disconnected: the thief never held the id").isEmpty();
            LegacyPeer back = track(new LegacyPeer(WsClient.connect(server.legacyUri()), owner.clientId));
            back.register();
            assertThat(Wire.at(back.ws.next("message"), "payload.message")).isEqualTo(obj("secret", 1));
        } else {
            assertThat(Wire.payload(thief.next("register"))).isEqualTo(obj("success", true, "clientId",
                    owner.clientId));
            assertThat(Wire.at(thief.next("message"), "payload.message")).isEqualTo(obj("secret", 1));
        }
    }

    @Test
    void item26_peerResponseIsUnknownAndDebugQuestionsAreAnswered() {
        LegacyPeer a = registered();
        a.ws.send(Wire.legacy("peer_response", obj("questionId", "q", "response", obj("answer", "Java"))));
        assertError(a.ws.next(), "INVALID_MESSAGE", "Unknown message type: peer_response");
        a.ws.send(Wire.legacy("debug_question", obj()));
        JsonValue q = a.ws.next("server_question");
        assertThat(((JsonValue.JsonObject) Wire.payload(q)).members().keySet()).containsExactly("questionId", "question");
        assertThat(Wire.str(q, "payload.questionId")).matches(UUID_V4);
        assertThat(Wire.at(q, "payload.question")).isEqualTo(obj("text",
                "This is a debug question. What is your favorite programming language?"));
    }

    // --- 27 -------------------------------------------------------------------------------------------------

    @Test
    void item27_framesUpTo16MiBAreAcceptedLargerOnesClose1009() {
        WsClient c = legacy();
        String prefix = "{\"type\":\"discover\",\"payload\":{\"pad\":\"";
        String suffix = "\"}}";
        if (hardened()) {
            // docs/server.md: hardened legacy messages are at most 1 MiB; the connection stays open.
            int cap = 1024 * 1024;
            String atCap = prefix + "x".repeat(cap - prefix.length() - suffix.length()) + suffix;
            c.send(atCap);
            assertThat(Wire.type(c.next())).isEqualTo("discover");
            c.send(atCap.substring(0, prefix.length()) + "x" + atCap.substring(prefix.length()));
            assertError(c.next(), "INVALID_MESSAGE", "Message too large (max 1048576 bytes)");
        }
        int max = 16 * 1024 * 1024;
        String exact = prefix + "x".repeat(max - prefix.length() - suffix.length()) + suffix;
        c.send(exact);
        assertThat(Wire.type(c.next())).isEqualTo(hardened() ? "error" : "discover");
        c.send(exact.substring(0, prefix.length()) + "x" + exact.substring(prefix.length()));
        assertThat(c.awaitClose()).isEqualTo(1009);
    }
}
