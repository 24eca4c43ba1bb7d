package io.github.demosim.interop;

import static io.github.demosim.interop.Futures.join;
import static io.github.demosim.interop.Futures.next;
import static io.github.demosim.interop.NodeScript.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.demosim.Bytes;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.MessageQueuedEvent;
import io.github.demosim.MessagingPeer;
import io.github.demosim.TextMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The legacy signaling protocol ({@code legacy-and-crypto.md} §A) with the published SDK's own
 * {@code instantMessaging.MessagingPeer} on the other side ({@code interop/bin/legacy-peer.mjs}): it registers
 * with its ML-DSA-65 proof on {@link DemosImServer} in both modes, discovers, and exchanges {@code ml-kem-aes}
 * messages with this project's {@link MessagingPeer} in both directions, each side decrypting the other's.
 *
 * <p>The SDK's request matching breaks when any frame arrives while it waits (§C.1 #5), so the tests send to
 * the SDK peer only while it waits for nothing, as an application using it would have to.
 */
@Timeout(180)
class LegacyInteropTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> TEXTS = List.of("hello ✓", "é€中文😀 \"quoted\" \\ back", "");

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void sdkPeersRegisterWithTheirProofAndTalkThroughTheServer(ServerMode mode) {
        try (DemosImServer server = start(mode);
                SdkPeer alice = new SdkPeer(server, "ts-alice");
                SdkPeer bob = new SdkPeer(server, "ts-bob")) {
            alice.connect();
            bob.connect();
            assertThat(alice.discover()).containsExactlyInAnyOrder("ts-alice", "ts-bob");
            assertThat(alice.requestPublicKey("ts-bob")).isEqualTo(bob.kemPublicKey);

            alice.send("ts-bob", "hello bob ✓");
            assertThat(bob.script.awaitEvent("message").path("text").asText()).isEqualTo("hello bob ✓");
            bob.send("ts-alice", "hello alice");
            JsonNode got = alice.script.awaitEvent("message");
            assertThat(got.path("from").asText()).isEqualTo("ts-bob");
            assertThat(got.path("text").asText()).isEqualTo("hello alice");
            alice.assertNoFailures();
            bob.assertNoFailures();
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.interop.Transports#withModes")
    void javaAndSdkPeersDiscoverEachOtherAndDecryptEachOthersMessages(ServerMode mode, String transport) {
        try (DemosImServer server = start(mode);
                SdkPeer sdk = new SdkPeer(server, "ts-" + suffix());
                JavaPeer java = new JavaPeer(server, transport, "java-" + suffix(), Identity.generate())) {
            sdk.connect();
            java.connect();
            assertThat(sdk.discover()).containsExactlyInAnyOrder(sdk.clientId, java.clientId());
            assertThat(join(java.peer.discover(), "discover")).containsExactlyInAnyOrder(sdk.clientId, java.clientId());
            assertThat(sdk.requestPublicKey(java.clientId())).isEqualTo(java.identity.mlKemPublicKey());
            assertThat(join(java.peer.requestPublicKey(sdk.clientId), "requestPublicKey")).isEqualTo(sdk.kemPublicKey);

            for (String text : TEXTS) {
                sdk.send(java.clientId(), text); // MessagingPeer.sendMessage: key lookup, encrypt, send
                TextMessage received = java.nextMessage();
                assertThat(received.text()).as("Java decrypts the SDK's message").isEqualTo(text);
                assertThat(received.from()).isEqualTo(sdk.clientId);
            }
            for (String text : TEXTS) {
                int before = sdk.script.events("message").size();
                join(java.peer.sendText(sdk.clientId, text), "sendText");
                JsonNode got = sdk.script.awaitEvent("message", before);
                assertThat(got.path("text").asText()).as("the SDK decrypts Java's message").isEqualTo(text);
                assertThat(got.path("from").asText()).isEqualTo(java.clientId());
            }
            java.peer.close();
            assertThat(sdk.script.awaitEvent("peer_disconnected").path("peerId").asText()).isEqualTo(java.clientId());
            sdk.assertNoFailures();
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.interop.Transports#withModes")
    void anSdkPeerGetsWhatJavaQueuedForItWhenItRegisters(ServerMode mode, String transport) {
        try (DemosImServer server = start(mode);
                SdkPeer sdk = new SdkPeer(server, "ts-" + suffix());
                JavaPeer java = new JavaPeer(server, transport, "java-" + suffix(), Identity.generate())) {
            java.connect();
            // the SDK peer is not registered: Java, knowing its key, leaves the message with the server (§A.8)
            join(java.peer.sendText(sdk.clientId, sdk.kemPublicKey, "stored for you ✓"), "sendText");
            MessageQueuedEvent queued = next(java.queued, "message_queued");
            assertThat(queued.targetId()).isEqualTo(sdk.clientId);

            sdk.connect(); // the replay follows the register ack; the SDK decrypts it like a live message
            JsonNode got = sdk.script.awaitEvent("message");
            assertThat(got.path("text").asText()).isEqualTo("stored for you ✓");
            assertThat(got.path("from").asText()).isEqualTo(java.clientId());
            sdk.assertNoFailures();
        }
    }

    // ---- fixtures ----------------------------------------------------------------------------------------

    private static DemosImServer start(ServerMode mode) {
        return DemosImServer.newBuilder().mode(mode).host("127.0.0.1").legacyPort(0).disableL2ps()
                .inMemoryDatabase().start();
    }

    private static String suffix() {
        return Integer.toHexString(RANDOM.nextInt());
    }

    /** A running {@code legacy-peer.mjs} (the SDK's MessagingPeer) with a fresh master seed. */
    private static final class SdkPeer implements AutoCloseable {
        final NodeScript script;
        final String clientId;
        final Bytes kemPublicKey;

        SdkPeer(DemosImServer server, String clientId) {
            byte[] seed = new byte[128];
            RANDOM.nextBytes(seed);
            this.clientId = clientId;
            this.script = NodeScript.start("legacy-peer.mjs", "--url", server.legacyUri().toString(),
                    "--client-id", clientId, "--seed-hex", HEX.formatHex(seed));
            JsonNode ready = script.awaitEvent("ready");
            this.kemPublicKey = Bytes.fromHex(ready.path("mlKemPublicKeyHex").asText());
            assertThat(kemPublicKey).as("the SDK's default instance holds the seed's keys")
                    .isEqualTo(Identity.fromMasterSeed(seed).mlKemPublicKey());
        }

        /** MessagingPeer.connect(): open, then register with the ML-DSA proof; resolves on the register ack. */
        void connect() {
            script.call(op("connect"));
        }

        List<String> discover() {
            List<String> peers = new ArrayList<>();
            script.call(op("discover")).path("peers").forEach(p -> peers.add(p.asText()));
            return peers;
        }

        Bytes requestPublicKey(String peerId) {
            return Bytes.fromHex(script.call(op("requestPublicKey").put("peerId", peerId)).path("publicKeyHex").asText());
        }

        void send(String to, String text) {
            script.call(op("send").put("to", to).put("text", text));
        }

        /** The SDK reports a failed decryption only as an unhandled rejection, and server errors as frames. */
        void assertNoFailures() {
            assertThat(script.events("unhandled_rejection")).as("SDK unhandled rejections" + script.diagnostics()).isEmpty();
            assertThat(script.events("frame").stream().filter(f -> f.path("type").asText().equals("error")).toList())
                    .as("error frames the SDK received").isEmpty();
        }

        @Override
        public void close() {
            script.close();
        }
    }

    /** This project's legacy peer, collecting what it receives. */
    private static final class JavaPeer implements AutoCloseable {
        final Identity identity;
        final MessagingPeer peer;
        final BlockingQueue<TextMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<MessageQueuedEvent> queued = new LinkedBlockingQueue<>();
        final List<ErrorEvent> errors = new CopyOnWriteArrayList<>();

        JavaPeer(DemosImServer server, String transport, String clientId, Identity identity) {
            this.identity = identity;
            this.peer = MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId(clientId).identity(identity)
                    .transport(transport).build();
            peer.onMessage(messages::add);
            peer.onMessageQueued(queued::add);
            peer.onError(errors::add); // e.g. a message that does not decrypt
        }

        /** The next message; an error reported meanwhile fails at once with what it says. */
        TextMessage nextMessage() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                assertThat(errors).as("errors reported by the Java peer").isEmpty();
                try {
                    TextMessage message = messages.poll(100, TimeUnit.MILLISECONDS);
                    if (message != null) {
                        return message;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            throw new AssertionError("no message reached the Java peer within 30 s");
        }

        void connect() {
            join(peer.connect(), "connect");
        }

        String clientId() {
            return peer.clientId();
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
