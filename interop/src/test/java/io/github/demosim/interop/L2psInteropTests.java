package io.github.demosim.interop;

import static io.github.demosim.interop.Futures.join;
import static io.github.demosim.interop.Futures.next;
import static io.github.demosim.interop.NodeScript.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.demosim.Bytes;
import io.github.demosim.HistoryPage;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The L2PS protocol ({@code l2ps.md}) between this project and a Node client whose proofs are signed, and
 * whose messages are sealed, by the published SDK's UnifiedCrypto ({@code interop/bin/l2ps-client.mjs}; the
 * registry's SDK has no L2PS client). Against {@link DemosImServer} in both modes, and against this project's
 * {@link L2psMessagingPeer}: live both ways, offline delivery both ways, history read by both.
 *
 * <p>In {@code REFERENCE} mode there is no key directory, so the ML-KEM keys are exchanged out of band (the
 * test hands each side the other's key); in {@code HARDENED} mode both sides publish theirs and look the
 * other's up with {@code request_public_key}.
 */
@Timeout(180)
class L2psInteropTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UID = DemosImServer.DEFAULT_L2PS_UID;

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void sdkSignedProofsAreAcceptedAndTwoSdkClientsTalkThroughTheServer(ServerMode mode) {
        try (DemosImServer server = start(mode);
                SdkClient alice = new SdkClient(server, mode);
                SdkClient bob = new SdkClient(server, mode)) {
            JsonNode registered = alice.connect();
            assertThat(registered.path("success").asBoolean()).isTrue();
            assertThat(registered.path("publicKey").asText()).isEqualTo(alice.publicKey);
            assertThat(bob.connect().path("onlinePeers")).extracting(JsonNode::asText).containsExactly(alice.publicKey);
            assertThat(alice.script.awaitEvent("peer_joined").path("publicKey").asText()).isEqualTo(bob.publicKey);
            assertThat(alice.discover()).containsExactlyInAnyOrder(alice.publicKey, bob.publicKey);

            assertThat(alice.send(bob, "hello bob, from the SDK").path("type").asText()).isEqualTo("message_sent");
            JsonNode got = bob.script.awaitEvent("message");
            assertThat(got.path("text").asText()).as(got.toString()).isEqualTo("hello bob, from the SDK");
            assertThat(got.path("from").asText()).isEqualTo(alice.publicKey);
            assertThat(got.path("offline").asBoolean()).isFalse();

            JsonNode history = bob.history(alice.publicKey);
            assertThat(history.path("messages")).extracting(m -> m.path("text").asText()).containsExactly("hello bob, from the SDK");
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.interop.Transports#withModes")
    void javaPeerAndSdkClientTalkLiveBothWays(ServerMode mode, String transport) {
        try (DemosImServer server = start(mode);
                SdkClient sdk = new SdkClient(server, mode);
                JavaPeer java = new JavaPeer(server, transport, mode, Identity.generate())) {
            sdk.connect();
            L2psRegistration registration = java.connect();
            assertThat(registration.onlinePeers()).containsExactly(sdk.publicKey);
            assertThat(sdk.script.awaitEvent("peer_joined").path("publicKey").asText()).isEqualTo(java.publicKey());
            assertThat(join(java.peer.discover(), "discover")).containsExactlyInAnyOrder(sdk.publicKey, java.publicKey());
            assertThat(sdk.discover()).containsExactlyInAnyOrder(sdk.publicKey, java.publicKey());

            for (String text : List.of("hi Java ✓", "second: é€😀", "")) {
                assertThat(sdk.send(java, text).path("type").asText()).isEqualTo("message_sent");
                ReceivedMessage received = next(java.messages, "message from the SDK");
                assertThat(received.text()).as("Java decrypts the SDK's ml-kem-aes").contains(text);
                assertThat(received.from()).isEqualTo(sdk.publicKey);
                assertThat(received.offline()).isFalse();
            }
            for (String text : List.of("hi SDK ✓", "second: é€😀", "")) {
                SendResult sent = java.sendText(sdk, text);
                assertThat(sent.outcome()).isEqualTo(SendOutcome.DELIVERED);
                JsonNode got = sdk.script.awaitEvent("message", m -> m.path("messageHash").asText().equals(sent.messageHash()));
                assertThat(got.path("text").asText()).as("the SDK decrypts Java's ml-kem-aes: " + got).isEqualTo(text);
                assertThat(got.path("from").asText()).isEqualTo(java.publicKey());
            }
            java.peer.close();
            assertThat(sdk.script.awaitEvent("peer_left").path("publicKey").asText()).isEqualTo(java.publicKey());
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.interop.Transports#withModes")
    void offlineMessagesReachBothSidesWhenTheyRegister(ServerMode mode, String transport) {
        Identity javaIdentity = Identity.generate();
        try (DemosImServer server = start(mode);
                SdkClient sdk = new SdkClient(server, mode)) {
            // Java -> SDK while the SDK client is not registered: queued, then delivered on its register
            try (JavaPeer java = new JavaPeer(server, transport, mode, javaIdentity)) {
                java.connect();
                SendResult queued = join(java.peer.sendText(sdk.publicKey, sdk.kemPublicKey, "waiting for you, SDK"), "sendText");
                assertThat(queued.outcome()).isEqualTo(SendOutcome.QUEUED);
                sdk.connect();
                JsonNode got = sdk.script.awaitEvent("message");
                assertThat(got.path("text").asText()).as(got.toString()).isEqualTo("waiting for you, SDK");
                assertThat(got.path("offline").asBoolean()).isTrue();
                assertThat(got.path("messageHash").asText()).isEqualTo(queued.messageHash());
            }
            sdk.script.awaitEvent("peer_left");

            // SDK -> Java while no Java peer is registered: queued, then delivered to a new peer of that identity
            JsonNode queued = sdk.send(javaIdentity, "waiting for you, Java");
            assertThat(queued.path("type").asText()).isEqualTo("message_queued");
            try (JavaPeer java = new JavaPeer(server, transport, mode, javaIdentity)) {
                java.connect();
                ReceivedMessage received = next(java.messages, "offline message from the SDK");
                assertThat(received.text()).contains("waiting for you, Java");
                assertThat(received.offline()).isTrue();
                assertThat(received.messageHash()).isEqualTo(queued.path("messageHash").asText());
            }
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.interop.Transports#withModes")
    void historyReadByBothSidesHasEveryMessageAndTheirOwnDecrypts(ServerMode mode, String transport) {
        try (DemosImServer server = start(mode);
                SdkClient sdk = new SdkClient(server, mode);
                JavaPeer java = new JavaPeer(server, transport, mode, Identity.generate())) {
            sdk.connect();
            java.connect();
            List<String> hashes = new ArrayList<>();
            hashes.add(sdk.send(java, "one (SDK)").path("messageHash").asText());
            next(java.messages, "one");
            String two = java.sendText(sdk, "two (Java)").messageHash();
            hashes.add(two);
            JsonNode delivered = sdk.script.awaitEvent("message", m -> m.path("messageHash").asText().equals(two));
            assertThat(delivered.path("text").asText()).as(delivered.toString()).isEqualTo("two (Java)");
            hashes.add(sdk.send(java, "three (SDK)").path("messageHash").asText());
            next(java.messages, "three");

            JsonNode sdkView = sdk.history(java.publicKey()).path("messages");
            assertThat(sdkView).extracting(m -> m.path("messageHash").asText()).containsExactlyInAnyOrderElementsOf(hashes);
            for (JsonNode m : sdkView) {
                if (m.path("to").asText().equals(sdk.publicKey)) {
                    assertThat(m.path("text").asText()).as("the SDK decrypts what Java stored for it").isEqualTo("two (Java)");
                } else {
                    assertThat(m.path("from").asText()).isEqualTo(sdk.publicKey);
                }
            }
            HistoryPage javaView = join(java.peer.history(sdk.publicKey, 50), "history");
            assertThat(javaView.messages()).extracting(StoredMessage::messageHash).containsExactlyInAnyOrderElementsOf(hashes);
            List<String> decrypted = javaView.messages().stream()
                    .filter(m -> m.to().equals(java.publicKey()))
                    .map(m -> java.peer.decrypt(m.encrypted()).orElseThrow())
                    .toList();
            assertThat(decrypted).as("Java decrypts what the SDK stored for it").containsExactlyInAnyOrder("one (SDK)", "three (SDK)");
            assertThat(javaView.messages().get(0).timestamp()).as("newest first")
                    .isGreaterThanOrEqualTo(javaView.messages().get(2).timestamp());
        }
    }

    // ---- fixtures ----------------------------------------------------------------------------------------

    private static DemosImServer start(ServerMode mode) {
        return DemosImServer.newBuilder().mode(mode).host("127.0.0.1").l2psPort(0).disableLegacy()
                .inMemoryDatabase().start();
    }

    private static boolean keyDirectory(ServerMode mode) {
        return mode == ServerMode.HARDENED;
    }

    /** A running {@code l2ps-client.mjs} with a fresh master seed; its keys cross-checked with Java's derivation. */
    private static final class SdkClient implements AutoCloseable {
        final NodeScript script;
        final boolean keyDirectory;
        final String publicKey;
        final Bytes kemPublicKey;

        SdkClient(DemosImServer server, ServerMode mode) {
            byte[] seed = new byte[128];
            RANDOM.nextBytes(seed);
            this.script = NodeScript.start("l2ps-client.mjs", "--url", server.l2psUri().toString(), "--l2ps-uid", UID,
                    "--seed-hex", HEX.formatHex(seed));
            this.keyDirectory = keyDirectory(mode);
            JsonNode ready = script.awaitEvent("ready");
            Identity same = Identity.fromMasterSeed(seed);
            this.publicKey = ready.path("publicKey").asText();
            this.kemPublicKey = Bytes.fromHex(ready.path("mlKemPublicKeyHex").asText());
            assertThat(publicKey).isEqualTo(same.ed25519PublicKeyHex());
            assertThat(kemPublicKey).isEqualTo(same.mlKemPublicKey());
        }

        JsonNode connect() {
            ObjectNode command = op("connect").put("publishKemKey", keyDirectory);
            if (keyDirectory) {
                command.putArray("features").add(L2psMessagingPeer.FEATURE_KEY_DIRECTORY);
            }
            return script.call(command).path("registered");
        }

        List<String> discover() {
            List<String> peers = new ArrayList<>();
            script.call(op("discover")).path("peers").forEach(p -> peers.add(p.asText()));
            return peers;
        }

        /** Sends to an SDK client; with the key directory the SDK side looks the key up itself. */
        JsonNode send(SdkClient to, String text) {
            return send(to.publicKey, to.kemPublicKey, text);
        }

        JsonNode send(JavaPeer to, String text) {
            return send(to.publicKey(), to.identity.mlKemPublicKey(), text);
        }

        JsonNode send(Identity to, String text) {
            // the recipient is offline: no directory lookup can answer, so the key is given
            ObjectNode command = op("send").put("to", to.ed25519PublicKeyHex()).put("text", text)
                    .put("recipientKemPublicKeyHex", to.mlKemPublicKey().toHex());
            return script.call(command);
        }

        private JsonNode send(String to, Bytes kem, String text) {
            ObjectNode command = op("send").put("to", to).put("text", text);
            if (!keyDirectory) {
                command.put("recipientKemPublicKeyHex", kem.toHex());
            }
            return script.call(command);
        }

        JsonNode history(String peerKey) {
            return script.call(op("history").put("peerKey", peerKey));
        }

        @Override
        public void close() {
            script.close();
        }
    }

    /** This project's peer, collecting what it receives. */
    private static final class JavaPeer implements AutoCloseable {
        final Identity identity;
        final boolean keyDirectory;
        final L2psMessagingPeer peer;
        final BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();

        JavaPeer(DemosImServer server, String transport, ServerMode mode, Identity identity) {
            this.identity = identity;
            this.keyDirectory = keyDirectory(mode);
            this.peer = L2psMessagingPeer.newBuilder().serverUri(server.l2psUri()).identity(identity).l2psUid(UID)
                    .transport(transport).build();
            peer.onMessage(messages::add);
        }

        L2psRegistration connect() {
            L2psRegistration registration = join(peer.connect(), "connect");
            assertThat(registration.features().contains(L2psMessagingPeer.FEATURE_KEY_DIRECTORY)).isEqualTo(keyDirectory);
            return registration;
        }

        String publicKey() {
            return identity.ed25519PublicKeyHex();
        }

        /** With the key directory Java looks the SDK client's key up; without, it is given out of band. */
        SendResult sendText(SdkClient to, String text) {
            return join(keyDirectory ? peer.sendText(to.publicKey, text) : peer.sendText(to.publicKey, to.kemPublicKey, text),
                    "sendText");
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
