package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.ServerProcess;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages queued for offline recipients survive an abrupt stop: the server process is killed (SIGKILL) right
 * after acknowledging them, restarted on the same H2 file, and each recipient gets every message exactly once.
 */
class CrashRecoveryTests {

    @Test
    void queuedMessagesSurviveAKillAndAreDeliveredExactlyOnce(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("demos-im");
        Ed25519Key bob = Ed25519Key.random();
        String legacyBob = LegacyPeer.newId();
        List<String> hashes = new ArrayList<>();
        List<JsonValue> legacyMessages = new ArrayList<>();
        ServerProcess.Started first = ServerProcess.start(db);
        try (L2psPeer alice = L2psPeer.connect(first.l2psUri());
                LegacyPeer carol = new LegacyPeer(WsClient.connect(first.legacyUri()), LegacyPeer.newId())) {
            alice.register();
            carol.register();
            for (int i = 0; i < 30; i++) {
                JsonValue ack = alice.send(bob.publicKeyHex(), "bXNn" + i);
                assertThat(Wire.type(ack)).isEqualTo("message_queued");
                hashes.add(Wire.str(ack, "payload.messageHash"));
            }
            for (int i = 0; i < 5; i++) {
                JsonValue m = obj("algorithm", "ml-kem-aes", "i", i);
                legacyMessages.add(m);
                carol.send(legacyBob, m);
                assertThat(Wire.type(carol.ws.next())).isEqualTo("message_queued");
            }
            first.kill(); // the last acknowledgement has just been read: nothing flushed, nothing closed
        }

        try (DemosImServer second = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseFile(db).start()) {
            try (L2psPeer b = L2psPeer.connect(second.l2psUri(), bob)) {
                b.register();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    JsonValue m = b.ws.next("message");
                    assertThat(Wire.bool(m, "payload.offline")).isTrue();
                    assertThat(Wire.str(m, "payload.encrypted.ciphertext")).isEqualTo("bXNn" + i);
                    got.add(Wire.str(m, "payload.messageHash"));
                }
                assertThat(got).containsExactlyElementsOf(hashes);
                assertThat(b.sync()).isEmpty();
                // The statuses survived too: every message is now `sent`, none lost or duplicated.
                List<JsonValue> history = Wire.array(b.history(Ed25519Key.random().publicKeyHex()), "payload.messages");
                assertThat(history).isEmpty();
            }
            try (LegacyPeer lb = new LegacyPeer(WsClient.connect(second.legacyUri()), legacyBob)) {
                lb.register();
                for (JsonValue expected : legacyMessages) {
                    assertThat(Wire.at(lb.ws.next("message"), "payload.message")).isEqualTo(expected);
                }
                assertThat(lb.sync()).isEmpty();
            }
        }

        // A third start (after a graceful stop): nothing is delivered twice.
        try (DemosImServer third = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseFile(db).start();
                L2psPeer b = L2psPeer.connect(third.l2psUri(), bob);
                LegacyPeer lb = new LegacyPeer(WsClient.connect(third.legacyUri()), legacyBob)) {
            b.register();
            assertThat(b.sync()).isEmpty();
            lb.register();
            assertThat(lb.sync()).isEmpty();
            L2psPeer alice = L2psPeer.connect(third.l2psUri());
            alice.register();
            alice.close();
        }
    }
}
