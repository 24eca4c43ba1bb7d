package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.CRYPTO;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.MessagingPeer;
import io.github.demosim.TextMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import io.github.demosim.tck.crypto.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interoperability with the TypeScript SDK 2.9.1 vectors (ts-sdk-2.9.1-vectors.json; legacy-and-crypto.md §B.5,
 * §C.2 items 5, 7, 8, 12, 17): what this client encrypts opens with the vectors' own secret key, and what the SDK
 * encrypted opens in this client, both through the server.
 */
class MessagingPeerVectorsTests {
    private static final JsonValue SDK = Vectors.sdk();
    /** alice of the vectors: master seed 00..7f. */
    private static final Identity VECTOR_ALICE = Identity.fromMasterSeed(
            Vectors.hex(SDK, "identities", "alice", "masterSeedHex").toByteArray(), CRYPTO);

    private static DemosImServer server(ServerMode mode) {
        return DemosImServer.newBuilder().mode(mode).legacyPort(0).disableL2ps().inMemoryDatabase().start();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void whatThisClientEncryptsOpensWithTheVectorsSecretKey(String transport, ServerMode mode) throws Exception {
        assertThat(VECTOR_ALICE.mlKemPublicKey()).isEqualTo(Vectors.hex(SDK, "identities", "alice", "mlKem768",
                "publicKeyHex"));
        // §A.5 / §C.2 item 12: the registration proof is the SDK's, byte for byte (deterministic ML-DSA-65)
        SignedObject proof = DEMOS.legacyRegistrationProof(VECTOR_ALICE);
        assertThat(proof.serializedSignedData()).isEqualTo(Vectors.text(SDK, "mlDsa65", "legacyRegisterFrame", "frame",
                "payload", "verification", "serializedSignedData"));

        try (DemosImServer server = server(mode)) {
            // the recipient is a bare socket that decrypts with the raw secret key from the vectors
            LinkedBlockingQueue<String> inbound = new LinkedBlockingQueue<>();
            TransportSession raw = done(TransportProvider.find(transport).connect(TransportOptions.of(server.legacyUri()),
                    new TransportListener() {
                        @Override
                        public void onText(TransportSession session, String text) {
                            inbound.add(text);
                        }
                    }));
            try {
                done(raw.sendText(ScriptedServer.CODEC.encode(new Register("alice", VECTOR_ALICE.mlKemPublicKey(),
                        proof))));
                assertThat(decode(next(inbound))).isInstanceOf(RegisterAck.class);

                IncomingMessage m;
                // bob stays connected until the message is through: a reference server handles one socket's
                // frames concurrently and drops a message whose sender is gone by the time it is routed
                try (MessagingPeer bob = MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId("bob")
                        .identity(BOB).transport(transport).codec("jackson").build()) {
                    done(bob.connect());
                    done(bob.sendText("alice", "from the Java client — ✓"));
                    LegacyServerFrame f;
                    do {
                        f = decode(next(inbound));
                    } while (!(f instanceof IncomingMessage));
                    m = (IncomingMessage) f;
                }
                assertThat(m.fromId()).isEqualTo("bob");
                EncryptedObject o = EncryptedObject.fromJson(m.message()).orElseThrow();
                assertThat(o.algorithm()).isEqualTo("ml-kem-aes");
                byte[] ct = Bytes.fromBase64(o.serializedCipherText()).toByteArray();
                byte[] data = Bytes.fromBase64(o.serializedEncryptedData()).toByteArray();
                assertThat(ct).hasSize(CryptoPrimitives.ML_KEM_768_CIPHERTEXT_BYTES);
                CryptoPrimitives p = CRYPTO.create();
                byte[] sharedSecret = p.mlKem768Decapsulate(
                        Vectors.hex(SDK, "identities", "alice", "mlKem768", "secretKeyHex").toByteArray(), ct);
                byte[] plain = p.aesGcmDecrypt(sharedSecret, Arrays.copyOfRange(data, 0, 12),
                        Arrays.copyOfRange(data, 12, data.length));
                assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("from the Java client — ✓");
            } finally {
                raw.close(1000, "done");
            }
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void everyVectorCiphertextDeliveredThroughTheServerOpensToItsPlaintext(String transport, ServerMode mode) {
        List<JsonValue> vectors = Vectors.elements(SDK, "mlKemAes");
        try (DemosImServer server = server(mode);
                MessagingPeer alice = MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId("alice")
                        .identity(VECTOR_ALICE).transport(transport).codec("jackson").build();
                MessagingPeer bob = MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId("bob")
                        .identity(BOB).transport(transport).codec("jackson").build()) {
            LinkedBlockingQueue<TextMessage> toAlice = new LinkedBlockingQueue<>();
            alice.onMessage(toAlice::add);
            done(alice.connect());
            done(bob.connect());
            List<String> expected = new ArrayList<>();
            for (JsonValue v : vectors) {
                assertThat(Vectors.text(v, "recipient")).isEqualTo("alice");
                expected.add(Vectors.text(v, "plaintext"));
                // the SDK's own wire object, relayed unchanged by the server
                done(bob.sendToServer(new SendMessage("alice", Vectors.at(v, "wireObject"))));
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < vectors.size(); i++) {
                TextMessage m = next(toAlice);
                assertThat(m.from()).isEqualTo("bob");
                got.add(m.text());
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected).contains("Hello, Demos! 👋 ünïcödé ✓", "");
        }
    }

    private static LegacyServerFrame decode(String text) {
        return ScriptedServer.CODEC.decode(text, LegacyServerFrame.class);
    }
}
