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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages queued for offline recipients survive an abrupt stop: the server process is killed (SIGKILL) right
 * after acknowledging them, restarted on the same H2 file, and each recipient gets every message exactly once,
 * however the H2 database was named (issue 14 item 4: only {@code databaseFile} used to add
 * {@code WRITE_DELAY=0}, and a {@code jdbc:h2:file:} URL lost a few hundred of 2,000 acknowledged messages).
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

    /** The forms of one H2 file {@code <dir>/demos-im} a user may write, as {@code --db} or {@code databaseUrl}. */
    private static final java.util.Map<String, Function<Path, String>> FORMS = java.util.Map.of(
            "file-url", p -> "jdbc:h2:file:" + p.toAbsolutePath(),
            "bare-path", p -> "jdbc:h2:" + p.toAbsolutePath(),
            "file-url-with-settings", p -> "jdbc:h2:file:" + p.toAbsolutePath() + ";MODE=Regular;write_delay=0",
            "nio-file-system", p -> "jdbc:h2:nio:" + p.toAbsolutePath());

    @ParameterizedTest
    @ValueSource(strings = {"file-url", "bare-path", "file-url-with-settings", "nio-file-system"})
    void twoThousandAcknowledgedMessagesSurviveAKillWhateverTheH2UrlForm(String form, @TempDir Path dir)
            throws Exception {
        String url = FORMS.get(form).apply(dir.resolve("demos-im"));
        Ed25519Key bob = Ed25519Key.random();
        int count = 2_000;
        ServerProcess.Started first = ServerProcess.start(url);
        List<L2psPeer> senders = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                if (i % 200 == 0) { // 200 offline messages per sender at most (l2ps.md §6.2)
                    L2psPeer sender = L2psPeer.connect(first.l2psUri());
                    sender.register();
                    senders.add(sender);
                }
                assertThat(Wire.type(senders.get(senders.size() - 1).send(bob.publicKeyHex(), "bXNn" + i)))
                        .isEqualTo("message_queued");
            }
            first.kill(); // the last acknowledgement has just been read
        } finally {
            senders.forEach(L2psPeer::close);
            first.kill();
        }
        try (DemosImServer second = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseUrl(url).start();
                L2psPeer b = L2psPeer.connect(second.l2psUri(), bob)) {
            b.register();
            for (int i = 0; i < count; i++) {
                JsonValue m = b.ws.next("message");
                assertThat(Wire.str(m, "payload.encrypted.ciphertext")).as("%s: message %d", url, i)
                        .isEqualTo("bXNn" + i);
            }
            assertThat(b.sync()).isEmpty();
        }
        System.out.printf("FIGURE sigkill/%s: %d acknowledged offline messages, SIGKILL, restart: %d delivered, 0 lost%n",
                form, count, count);
    }
}
