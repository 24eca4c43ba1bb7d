package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 11: a string with an unpaired UTF-16 surrogate (only a JSON escape can make one) cannot be sent
 * back as UTF-8, which has no such thing: stored as sent, a {@code messageHash} came back as {@code ?}, so the
 * recipient's {@code ack} never matched and the message was delivered again at every registration. The hardened
 * server refuses such frames with a clear error (docs/server.md).
 */
class LoneSurrogateTests {
    private static final String LONE_HASH_FRAME_PART = "\\ud800abc";

    @Test
    void aHardenedServerRefusesAnUnpairedSurrogateAndNothingIsRedelivered() {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start();
                L2psPeer alice = L2psPeer.connect(server.l2psUri())) {
            alice.register();
            Ed25519Key bob = Ed25519Key.random();
            String frame = "{\"type\":\"send\",\"payload\":{\"to\":\"" + bob.publicKeyHex() + "\",\"encrypted\":{"
                    + "\"ciphertext\":\"aGk=\",\"nonce\":\"bm9uY2U=\"},\"messageHash\":\"" + LONE_HASH_FRAME_PART
                    + "\"},\"timestamp\":" + System.currentTimeMillis() + ",\"requestId\":\"r1\"}";
            alice.ws.send(frame);
            JsonValue answer = alice.ws.awaitFrame(f -> !"peer_joined".equals(Wire.type(f)));
            assertThat(Wire.type(answer)).isEqualTo("error");
            assertThat(Wire.str(answer, "payload.code")).isEqualTo("INVALID_MESSAGE");
            assertThat(Wire.str(answer, "payload.message")).startsWith("Invalid string: an unpaired UTF-16 surrogate");
            assertThat(Wire.str(answer, "requestId")).isEqualTo("r1");
            // A well-formed pair is fine: the hash comes back byte for byte, and its ack matches.
            String pairHash = "h\ud83d\ude00" + L2psPeer.newHash();
            assertThat(Wire.type(alice.send(bob.publicKeyHex(), "aGk=", pairHash))).isEqualTo("message_queued");
            try (L2psPeer b = L2psPeer.connect(server.l2psUri(), bob)) {
                b.register(L2psPeer.UID, "features", java.util.List.of("ack"));
                JsonValue m = b.ws.next("message");
                assertThat(Wire.str(m, "payload.messageHash")).isEqualTo(pairHash);
                b.ws.send(Wire.frame("ack", Wire.obj("messageHash", pairHash), System.currentTimeMillis()));
                assertThat(b.sync()).isEmpty();
            }
            try (L2psPeer again = L2psPeer.connect(server.l2psUri(), bob)) {
                again.register(L2psPeer.UID, "features", java.util.List.of("ack"));
                assertThat(again.sync()).as("nothing delivered again").isEmpty();
            }
        }
    }

    @Test
    void theLegacyPortRefusesThemToo() {
        try (DemosImServer server = DemosImServer.newBuilder().disableL2ps().legacyPort(0).inMemoryDatabase().start();
                WsClient c = WsClient.connect(server.legacyUri())) {
            c.send("{\"type\":\"discover\",\"payload\":{\"x\":\"\\udc00\"}}");
            JsonValue answer = c.next();
            assertThat(Wire.str(answer, "payload.errorType")).isEqualTo("INVALID_MESSAGE");
            assertThat(Wire.str(answer, "payload.details")).startsWith("Invalid string: an unpaired UTF-16 surrogate");
        }
    }

    @Test
    void referenceModeKeepsTheReferenceBehaviour() {
        try (DemosImServer server = DemosImServer.newBuilder().mode(ServerMode.REFERENCE).l2psPort(0).disableLegacy()
                .inMemoryDatabase().start(); L2psPeer alice = L2psPeer.connect(server.l2psUri())) {
            alice.register();
            String frame = "{\"type\":\"send\",\"payload\":{\"to\":\"" + Ed25519Key.random().publicKeyHex()
                    + "\",\"encrypted\":{\"ciphertext\":\"aGk=\",\"nonce\":\"bm9uY2U=\"},\"messageHash\":\""
                    + LONE_HASH_FRAME_PART + "\"},\"timestamp\":" + System.currentTimeMillis() + "}";
            alice.ws.send(frame);
            // The node stores what JSON.parse gives it; without the ack extension nothing is redelivered.
            assertThat(Wire.type(alice.ws.awaitFrame(f -> !"peer_joined".equals(Wire.type(f)))))
                    .isEqualTo("message_queued");
        }
    }
}
