package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Opened;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Extension {@code server_challenge} and the {@code requireServerBoundProof} setting (issue 14 item 7): the
 * reference proof binds neither server, network nor connection (l2ps.md §5.2, §10 B2), so a register frame
 * captured at one server registers its key at any other within the freshness window.
 */
class ServerBoundProofTests {
    private static final String REQUIRED = "Server-bound proof required: send {\"type\":\"challenge\"}, sign "
            + "register-bound:<publicKey>:<l2psUid>:<timestamp>:<nonce> with the nonce of the challenge_response, and "
            + "list \"server_challenge\" in register.features";
    private static final String NO_CHALLENGE = "No challenge to sign on this connection (each one is good for one "
            + "register): send {\"type\":\"challenge\"} first";

    private final Opened open = new Opened();

    @AfterEach
    void closeAll() {
        open.close();
    }

    private DemosImServer server(UnaryOperator<DemosImServer.Builder> settings) {
        return open.add(settings.apply(DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .batchInterval(java.time.Duration.ofHours(1))).start());
    }

    private WsClient connect(DemosImServer s) {
        return open.add(WsClient.connect(s.l2psUri()));
    }

    /** Asks for a challenge; returns the nonce. */
    private static String challenge(WsClient c) {
        c.send(Wire.obj("type", "challenge", "payload", obj(), "timestamp", System.currentTimeMillis(),
                "requestId", "c1"));
        JsonValue r = c.next("challenge_response");
        assertThat(Wire.str(r, "requestId")).isEqualTo("c1");
        assertThat(((JsonValue.JsonObject) Wire.payload(r)).members().keySet()).containsExactly("nonce");
        String nonce = Wire.str(r, "payload.nonce");
        assertThat(nonce).matches("[0-9a-f]{64}");
        return nonce;
    }

    /** A register frame whose proof signs the server's nonce. */
    private static JsonValue.JsonObject boundRegister(Ed25519Key key, String uid, String nonce) {
        long ts = System.currentTimeMillis();
        String pk = key.publicKeyHex();
        return Wire.frame("register", obj("publicKey", pk, "l2psUid", uid, "proof",
                key.sign("register-bound:" + pk + ":" + uid + ":" + ts + ":" + nonce),
                "features", Wire.json(List.of("server_challenge"))), ts);
    }

    private static void assertError(JsonValue frame, String code, String message) {
        assertThat(Wire.type(frame)).as(Wire.text(frame)).isEqualTo("error");
        assertThat(Wire.str(frame, "payload.code")).as(Wire.text(frame)).isEqualTo(code);
        assertThat(Wire.str(frame, "payload.message")).as(Wire.text(frame)).isEqualTo(message);
    }

    @Test
    void aRegistrationSignsTheNonceOfItsConnectionOnce() {
        DemosImServer s = server(b -> b);
        Ed25519Key key = Ed25519Key.random();
        WsClient c = connect(s);
        String nonce = challenge(c);
        JsonValue.JsonObject frame = boundRegister(key, L2psPeer.UID, nonce);
        c.send(frame);
        JsonValue registered = c.next("registered");
        assertThat(Wire.strings(registered, "payload.features")).contains("server_challenge");

        c.send(frame); // each nonce signs one register
        assertError(c.next(), "INVALID_PROOF", NO_CHALLENGE);
        WsClient other = connect(s); // another connection of the same server, with no challenge
        other.send(frame);
        assertError(other.next(), "INVALID_PROOF", NO_CHALLENGE);
        challenge(other); // with a challenge of its own: the proof signs another nonce
        other.send(frame);
        assertError(other.next(), "INVALID_PROOF", "Signature verification failed");
    }

    @Test
    void aBoundProofIsNoReferenceProofAndAStaleOneIsRefused() {
        DemosImServer s = server(b -> b);
        Ed25519Key key = Ed25519Key.random();
        WsClient c = connect(s);
        String nonce = challenge(c);
        JsonValue.JsonObject frame = boundRegister(key, L2psPeer.UID, nonce);
        JsonValue.JsonObject asReference = Wire.frame("register", obj("publicKey", key.publicKeyHex(), "l2psUid",
                L2psPeer.UID, "proof", Wire.str(frame, "payload.proof")), Wire.num(frame, "timestamp"));
        c.send(asReference);
        assertError(c.next(), "INVALID_PROOF", "Signature verification failed");

        long stale = System.currentTimeMillis() - 600_000;
        String pk = key.publicKeyHex();
        c.send(Wire.frame("register", obj("publicKey", pk, "l2psUid", L2psPeer.UID, "proof",
                key.sign("register-bound:" + pk + ":" + L2psPeer.UID + ":" + stale + ":" + nonce),
                "features", Wire.json(List.of("server_challenge"))), stale));
        assertError(c.next(), "INVALID_PROOF", "Proof timestamp outside the accepted window (±300 s)");
    }

    // issue 14 item 7: a proof captured at one server (here: a register frame the victim sent to server A) was
    // accepted by server B within the window, and B handed over the victim's queued messages
    @Test
    void aProofCapturedAtAnotherServerRegistersNothingWhereBoundProofsAreRequired() {
        DemosImServer a = server(b -> b);
        DemosImServer strict = server(b -> b.requireServerBoundProof(true));
        Ed25519Key victim = Ed25519Key.random();
        try (L2psPeer sender = L2psPeer.connect(strict.l2psUri())) {
            sender.ws.send(boundRegister(sender.key, L2psPeer.UID, challenge(sender.ws)));
            assertThat(Wire.type(sender.ws.next())).isEqualTo("registered");
            assertThat(Wire.type(sender.send(victim.publicKeyHex(), "c2VjcmV0"))).isEqualTo("message_queued");
        }
        L2psPeer atA = open.add(L2psPeer.connect(a.l2psUri(), victim));
        JsonValue.JsonObject captured = atA.registerFrame(L2psPeer.UID, System.currentTimeMillis());
        atA.ws.send(captured);
        assertThat(Wire.type(atA.ws.next())).isEqualTo("registered");

        WsClient attacker = connect(strict);
        attacker.send(captured);
        assertError(attacker.next(), "INVALID_PROOF", REQUIRED);
        challenge(attacker); // a challenge of its own does not help: the captured proof signs none
        attacker.send(captured);
        assertError(attacker.next(), "INVALID_PROOF", REQUIRED);

        // a bound proof captured at A is refused at B as well
        WsClient victimAtA = connect(a);
        JsonValue.JsonObject boundAtA = boundRegister(victim, L2psPeer.UID, challenge(victimAtA));
        String attackerNonce = challenge(attacker);
        assertThat(attackerNonce).isNotEmpty();
        attacker.send(boundAtA);
        assertError(attacker.next(), "INVALID_PROOF", "Signature verification failed");

        // the victim itself, with a proof bound to B's challenge, gets its message
        WsClient victimAtB = connect(strict);
        victimAtB.send(boundRegister(victim, L2psPeer.UID, challenge(victimAtB)));
        assertThat(Wire.type(victimAtB.next())).isEqualTo("registered");
        assertThat(Wire.str(victimAtB.next("message"), "payload.encrypted.ciphertext")).isEqualTo("c2VjcmV0");
    }

    @Test
    void withoutTheSettingReferenceProofsStillRegister() {
        DemosImServer s = server(b -> b);
        try (L2psPeer p = L2psPeer.connect(s.l2psUri())) {
            assertThat(Wire.strings(p.register(), "payload.features")).contains("server_challenge");
        }
    }

    @Test
    void aReferenceServerKnowsNoChallengeAndTheSettingNeedsHardenedMode() {
        DemosImServer s = server(b -> b.mode(ServerMode.REFERENCE));
        WsClient c = connect(s);
        c.send(Wire.frame("challenge", obj(), System.currentTimeMillis()));
        assertError(c.next(), "INVALID_MESSAGE", "Unknown type: challenge");
        assertThatThrownBy(() -> DemosImServer.newBuilder().mode(ServerMode.REFERENCE).requireServerBoundProof(true)
                .l2psPort(0).disableLegacy().inMemoryDatabase().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs hardened mode");
    }
}
