package io.github.demosim.codec.json;

import io.github.demosim.L2psStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.FrameCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every JSON example of the two protocol documents, with abbreviated values expanded as the resource files
 * say: each decodes to the expected record, and re-encodes to the same JSON (the same text, except where
 * noted).
 */
class GoldenFrameTests {
    private static final String A = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String B = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String HASH = "313d7d10fa0c454ebb9c5e448d8c1f3a6fc83c901d02f616de80f0e41d3bf157";
    private static final Encrypted HELLO_BOB = Encrypted.of("SGVsbG8gQm9iIQ==", "AAECAwQFBgcICQoL", null);
    /** SHA-256 of alice's ML-KEM-768 public key, from vectors/kat.json (mlkem_pk_sha256). */
    private static final String ALICE_MLKEM_PK_SHA256 = "cd45ab10a092a86013316cf9ce5895581e58b9d887fb074d86590d660ee95a0c";
    /** SHA-256 of alice's ML-DSA-65 public key (kat.json mldsa_pk_sha256). */
    private static final String ALICE_MLDSA_PK_SHA256 = "250cc7a188b4ee363b46cfb03aeb402c51492deb41c1080d59c13e9a942e1090";
    /** SHA-256 of her registration proof (kat.json proof_sig_sha256). */
    private static final String PROOF_SHA256 = "ff74431c5a5259bb0435822260975f4f12b91ad04c6b1ea99f72738c8fdd9387";
    /** SHA-256 of the KEM ciphertext of the known-answer vector (kat.json kem_ct_sha256). */
    private static final String KEM_CT_SHA256 = "33ca17871308bc5c170b766336b1f9f1edd4753956b130ff49121415d4c86774";
    /** kat.json serializedEncryptedData: base64 of iv ‖ AES-GCM("hello demos") ‖ tag. */
    private static final String KAT_ENCRYPTED_DATA = "AAECAwQFBgcICQoLA2a2yiz81pAZcWbzwTHi1/XYg+OPNcsq+/0H";

    private static final Map<String, String> L2PS_CLIENT = examples("l2ps-client.txt");
    private static final Map<String, String> L2PS_SERVER = examples("l2ps-server.txt");
    private static final Map<String, String> LEGACY_CLIENT = examples("legacy-client.txt");
    private static final Map<String, String> LEGACY_SERVER = examples("legacy-server.txt");

    /** Examples whose text differs from ours only in member order, with the reason. */
    private static final Set<String> ORDER_DIFFERS = Set.of(
            // l2ps.md §3.2: history reads encrypted back from Postgres jsonb, which orders shorter keys first.
            "l2ps-server.txt history_response");

    private final FrameCodec codec = new JacksonCodecProvider().create();

    // ---------------------------------------------------------------- every example, generically

    @Test
    void everyDocumentExampleIsHere() {
        // l2ps.md §3.1 (5 examples) and §3.2 (10), legacy-and-crypto.md §A.2 (6) and §A.3 (9), plus SDK vectors.
        assertThat(L2PS_CLIENT.keySet()).containsExactly("register", "send", "history", "discover",
                "request_public_key", "register_sdk_vector");
        assertThat(L2PS_SERVER.keySet()).containsExactly("registered", "message", "message_sent", "message_queued",
                "history_response", "discover_response", "public_key_response", "peer_joined", "peer_left", "error");
        assertThat(LEGACY_CLIENT.keySet()).containsExactly("register", "discover", "request_public_key", "message",
                "peer_response", "debug_question", "message_sdk_vector_0", "message_sdk_vector_1",
                "message_sdk_vector_2");
        assertThat(LEGACY_SERVER.keySet()).containsExactly("register", "discover", "public_key_response", "message",
                "message_offline", "message_queued", "peer_disconnected", "server_question", "error",
                "message_sdk_vector_0", "message_sdk_vector_1", "message_sdk_vector_2");
        Stream.of(L2PS_CLIENT, L2PS_SERVER, LEGACY_CLIENT, LEGACY_SERVER).flatMap(m -> m.values().stream())
                .forEach(text -> assertThat(text).doesNotContain("…"));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleReencodesToTheSameJson() {
        return Stream.of(
                reencoding("l2ps-client.txt", L2PS_CLIENT, L2psClientFrame.class),
                reencoding("l2ps-server.txt", L2PS_SERVER, L2psServerFrame.class),
                reencoding("legacy-client.txt", LEGACY_CLIENT, LegacyClientFrame.class),
                reencoding("legacy-server.txt", LEGACY_SERVER, LegacyServerFrame.class)).flatMap(s -> s);
    }

    private Stream<DynamicTest> reencoding(String file, Map<String, String> examples, Class<? extends Frame> family) {
        return examples.entrySet().stream().map(e -> DynamicTest.dynamicTest(file + " " + e.getKey(), () -> {
            String text = e.getValue();
            String again = codec.encode(codec.decode(text, family));
            // Compared as JSON trees: member order ignored, numbers exact.
            assertThat(codec.parse(again)).isEqualTo(codec.parse(text));
            if (!ORDER_DIFFERS.contains(file + " " + e.getKey())) {
                assertThat(again).isEqualTo(text);
            }
        }));
    }

    // ---------------------------------------------------------------- l2ps.md §3.1

    @Test
    void l2psRegister() {
        assertThat(l2psClient("register")).isEqualTo(new Register(A, "testnet_l2ps_001",
                "edaa2f89233d8553ee8edad25fe31c45b39708ef20925e09ceca315d0f9428eadacadaafa2a751b140959daa95cff2934adef82a0bf09857b9eec59b2ac5ba02",
                null, List.of(), 1709312400000L, null));
    }

    @Test
    void l2psRegisterFromTheSdkVector() {
        Register r = (Register) l2psClient("register_sdk_vector");
        assertThat(r.publicKey()).isEqualTo("d686d4f6c1f4c7af89c4516f79e821f2e49b9af088808cff6b2d9d6e7df279c7");
        assertThat(r.l2psUid()).isEqualTo("testnet_l2ps_001");
        assertThat(r.proof()).hasSize(128).startsWith("9873caa094934e3d");
        assertThat(r.timestamp()).isEqualTo(1764000000000L);
        assertThat(r.requestId()).isEqualTo("req_1764000000000_0011223344");
        assertThat(r.kemPublicKey()).isNull();
        assertThat(r.features()).isEmpty();
    }

    @Test
    void l2psSend() {
        assertThat(l2psClient("send")).isEqualTo(new Send(B, HELLO_BOB, HASH, 1709312400100L, null));
    }

    @Test
    void l2psHistory() {
        assertThat(l2psClient("history")).isEqualTo(new History(B,
                "6add7665a8d90d38a45abdad740e7649a4fdee6074a640c46319062efca98b30901dac484135bfbfa5b04caf1efdbda65899c1a0b8a86c4248e473384aca6d03",
                null, 20, 1709312460000L, null));
    }

    @Test
    void l2psDiscover() {
        assertThat(l2psClient("discover")).isEqualTo(new io.github.demosim.frame.l2ps.Discover(1709312400200L, null));
    }

    @Test
    void l2psRequestPublicKey() {
        assertThat(l2psClient("request_public_key")).isEqualTo(new RequestPublicKey(B, 1709312400300L, null));
    }

    // ---------------------------------------------------------------- l2ps.md §3.2

    @Test
    void l2psRegistered() {
        assertThat(l2psServer("registered")).isEqualTo(
                new Registered(true, A, "testnet_l2ps_001", List.of(B), List.of(), 1709312400003L, null));
    }

    @Test
    void l2psMessage() {
        assertThat(l2psServer("message")).isEqualTo(new Message(A, HELLO_BOB, HASH, false, null, 1709312400180L, null));
    }

    @Test
    void l2psMessageSent() {
        assertThat(l2psServer("message_sent")).isEqualTo(new MessageSent(HASH, "submitted", 1709312400181L, null));
    }

    @Test
    void l2psMessageQueued() {
        assertThat(l2psServer("message_queued")).isEqualTo(new MessageQueued(HASH, "queued", 1709312400181L, null));
    }

    @Test
    void l2psHistoryResponse() {
        HistoryResponse h = (HistoryResponse) l2psServer("history_response");
        assertThat(h).isEqualTo(new HistoryResponse(List.of(new StoredMessage("0b9f4c1e-3f57-4a51-9d2e-6c1f0f7b8a11", A,
                B, HASH, HELLO_BOB, "testnet_l2ps_001",
                "5e0c11a51047c09c996bc4c80af3d89ed9e319b9fda84a3f593c27d3f425e0cd", 1709312400150L, L2psStatus.DELIVERED)),
                false, 1709312460010L, null));
        assertThat(codec.encode(h)).as("our encoding writes ciphertext first")
                .contains("\"encrypted\":{\"ciphertext\":\"SGVsbG8gQm9iIQ==\",\"nonce\":\"AAECAwQFBgcICQoL\"}");
    }

    @Test
    void l2psDiscoverResponse() {
        assertThat(l2psServer("discover_response")).isEqualTo(new DiscoverResponse(List.of(A, B), 1709312400201L, null));
    }

    @Test
    void l2psPublicKeyResponse() {
        assertThat(l2psServer("public_key_response"))
                .isEqualTo(new PublicKeyResponse(B, B, null, 1709312400301L, null));
    }

    @Test
    void l2psPeerJoinedAndLeft() {
        assertThat(l2psServer("peer_joined")).isEqualTo(new PeerJoined(B, 1709312400004L, null));
        assertThat(l2psServer("peer_left")).isEqualTo(new PeerLeft(B, 1709312500000L, null));
    }

    @Test
    void l2psError() {
        assertThat(l2psServer("error"))
                .isEqualTo(new ErrorFrame("INVALID_PROOF", "Signature verification failed", 1709312400002L, null));
    }

    // ---------------------------------------------------------------- legacy-and-crypto.md §A.2

    @Test
    void legacyRegisterCarriesAlicesKeysAndProof() {
        io.github.demosim.frame.legacy.Register r = (io.github.demosim.frame.legacy.Register) legacyClient("register");
        assertThat(r.clientId()).isEqualTo("alice");
        assertThat(r.publicKey().length()).isEqualTo(1184);
        assertThat(r.publicKey().toHex()).startsWith("b0f24387d055e1fb");
        assertThat(sha256(r.publicKey())).isEqualTo(ALICE_MLKEM_PK_SHA256);
        SignedObject v = r.verification();
        assertThat(v.algorithm()).isEqualTo("ml-dsa");
        assertThat(v.serializedSignedData()).hasSize(4412).startsWith("mcBpWAhsr6URljRBSUXyX0rP9Nz6tUxYnsKyUXc2yg");
        assertThat(sha256(Bytes.fromBase64(v.serializedSignedData()))).isEqualTo(PROOF_SHA256);
        assertThat(v.serializedPublicKey()).hasSize(2604).startsWith("RDyxsPM1qHxU7r1dRXHg14YgWPF2yEGjnqJAqzSs5bE");
        assertThat(sha256(Bytes.fromBase64(v.serializedPublicKey()))).isEqualTo(ALICE_MLDSA_PK_SHA256);
        assertThat(v.serializedMessage()).hasSize(1580);
        assertThat(Bytes.fromBase64(v.serializedMessage())).as("the proof signs the registered key")
                .isEqualTo(r.publicKey());
    }

    @Test
    void legacyDiscoverRequestAndDebugQuestion() {
        assertThat(legacyClient("discover")).isEqualTo(new io.github.demosim.frame.legacy.Discover());
        assertThat(legacyClient("request_public_key"))
                .isEqualTo(new io.github.demosim.frame.legacy.RequestPublicKey("bob"));
        assertThat(legacyClient("debug_question")).isEqualTo(new DebugQuestion(JsonValue.JsonObject.empty()));
    }

    @Test
    void legacySendMessage() {
        SendMessage m = (SendMessage) legacyClient("message");
        assertThat(m.targetId()).isEqualTo("bob");
        assertKatEncryptedObject(m.message());
    }

    @Test
    void legacyPeerResponse() {
        assertThat(legacyClient("peer_response")).isEqualTo(new PeerResponse("5f0c3e1a-9b7d-4c2e-8f6a-1d3b5e7f9a20",
                new JsonValue.JsonObject(Map.of("answer", JsonValue.of("TypeScript")))));
    }

    @Test
    void legacySendMessagesFromTheSdkVectors() {
        for (int i = 0; i < 3; i++) {
            SendMessage m = (SendMessage) legacyClient("message_sdk_vector_" + i);
            assertThat(m.targetId()).isEqualTo("alice");
            EncryptedObject o = EncryptedObject.fromJson(m.message()).orElseThrow();
            assertThat(o.algorithm()).isEqualTo("ml-kem-aes");
            assertThat(Bytes.fromBase64(o.serializedCipherText()).length()).isEqualTo(1088);
            assertThat(Bytes.fromBase64(o.serializedEncryptedData()).length()).isGreaterThanOrEqualTo(28);
        }
    }

    // ---------------------------------------------------------------- legacy-and-crypto.md §A.3

    @Test
    void legacyRegisterAckAndDiscover() {
        assertThat(legacyServer("register")).isEqualTo(new RegisterAck(true, "alice"));
        assertThat(legacyServer("discover"))
                .isEqualTo(new io.github.demosim.frame.legacy.DiscoverResponse(List.of("alice", "bob")));
    }

    @Test
    void legacyPublicKeyResponseEchoesTheRegisteredArray() {
        io.github.demosim.frame.legacy.PublicKeyResponse r =
                (io.github.demosim.frame.legacy.PublicKeyResponse) legacyServer("public_key_response");
        assertThat(r.peerId()).isEqualTo("bob");
        List<JsonValue> numbers = ((JsonValue.JsonArray) r.publicKey()).elements();
        byte[] key = new byte[numbers.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) ((JsonValue.JsonNumber) numbers.get(i)).value().intValueExact();
        }
        assertThat(sha256(Bytes.of(key))).isEqualTo(ALICE_MLKEM_PK_SHA256);
    }

    @Test
    void legacyIncomingMessagesLiveAndOffline() {
        IncomingMessage live = (IncomingMessage) legacyServer("message");
        assertThat(live.fromId()).isEqualTo("alice");
        assertThat(live.timestamp()).isNull();
        assertKatEncryptedObject(live.message());
        IncomingMessage offline = (IncomingMessage) legacyServer("message_offline");
        assertThat(offline.fromId()).isEqualTo("alice");
        assertThat(offline.timestamp()).isEqualTo(1783674941123L);
        assertThat(offline.message()).isEqualTo(live.message());
        for (int i = 0; i < 3; i++) {
            IncomingMessage m = (IncomingMessage) legacyServer("message_sdk_vector_" + i);
            assertThat(m.fromId()).isEqualTo("bob");
            assertThat(m.timestamp()).isNull();
            assertThat(m.message()).as("relayed unchanged")
                    .isEqualTo(((SendMessage) legacyClient("message_sdk_vector_" + i)).message());
        }
    }

    @Test
    void legacyMessageQueuedAndPeerDisconnected() {
        assertThat(legacyServer("message_queued")).isEqualTo(new io.github.demosim.frame.legacy.MessageQueued("bob",
                "offline", "Message stored for offline delivery"));
        assertThat(legacyServer("peer_disconnected")).isEqualTo(new PeerDisconnected("bob"));
    }

    @Test
    void legacyServerQuestion() {
        assertThat(legacyServer("server_question")).isEqualTo(new ServerQuestion("2b1e7c4d-6a5f-4e3b-9c8d-0f1e2d3c4b5a",
                new JsonValue.JsonObject(Map.of("text",
                        JsonValue.of("This is a debug question. What is your favorite programming language?")))));
    }

    @Test
    void legacyError() {
        assertThat(legacyServer("error")).isEqualTo(new io.github.demosim.frame.legacy.ErrorFrame("PEER_NOT_FOUND",
                "Target peer bob not found", "2026-07-10T09:15:41.123Z"));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertKatEncryptedObject(JsonValue message) {
        EncryptedObject o = EncryptedObject.fromJson(message).orElseThrow();
        assertThat(o.algorithm()).isEqualTo("ml-kem-aes");
        assertThat(o.serializedCipherText()).hasSize(1452);
        assertThat(sha256(Bytes.fromBase64(o.serializedCipherText()))).isEqualTo(KEM_CT_SHA256);
        assertThat(o.serializedEncryptedData()).isEqualTo(KAT_ENCRYPTED_DATA);
        assertThat(JsonValue.JsonObject.class.cast(message).members().keySet()).as("the SDK's key order (§B.6)")
                .containsExactly("algorithm", "serializedCipherText", "serializedEncryptedData");
    }

    private Frame l2psClient(String name) {
        return codec.decode(L2PS_CLIENT.get(name), L2psClientFrame.class);
    }

    private Frame l2psServer(String name) {
        return codec.decode(L2PS_SERVER.get(name), L2psServerFrame.class);
    }

    private Frame legacyClient(String name) {
        return codec.decode(LEGACY_CLIENT.get(name), LegacyClientFrame.class);
    }

    private Frame legacyServer(String name) {
        return codec.decode(LEGACY_SERVER.get(name), LegacyServerFrame.class);
    }

    private static String sha256(Bytes bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code golden/<file>}: {@code <name> <json>} per line, {@code #} comments. */
    private static Map<String, String> examples(String file) {
        Map<String, String> examples = new LinkedHashMap<>();
        try (InputStream in = GoldenFrameTests.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + file);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (examples.put(line.substring(0, space), line.substring(space + 1)) != null) {
                    throw new IllegalStateException("duplicate example " + line.substring(0, space) + " in " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return examples;
    }
}
