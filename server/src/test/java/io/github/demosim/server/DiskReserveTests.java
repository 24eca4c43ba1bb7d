package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerLimits#withDiskReserve}: on an H2 file whose disk has less free space than the reserve, new messages
 * are refused in both protocols while what is stored is still delivered and live legacy messages still pass. The
 * reserve here is more than any disk has, so the real free space of the test's disk is below it.
 */
class DiskReserveTests {
    private static final String FULL = "Server storage is full; try again later";

    @TempDir
    Path dir;

    private DemosImServer start(String url, long reserve) {
        return DemosImServer.newBuilder().mode(ServerMode.HARDENED).l2psPort(0).legacyPort(0)
                .l2psUids(List.of(L2psPeer.UID)).batchInterval(Duration.ofHours(1)).databaseUrl(url)
                .limits(ServerLimits.defaults().withDiskReserve(reserve)).start();
    }

    @Test
    void belowTheReserveNewMessagesAreRefusedAndStoredOnesStillDelivered() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
        Ed25519Key bob = Ed25519Key.random();
        String queuedHash = L2psPeer.newHash();
        String legacyTarget = LegacyPeer.newId();
        try (DemosImServer before = start(url, 0)) {
            // Stored while the disk had room: one L2PS message and one legacy message for offline recipients.
            try (L2psPeer alice = L2psPeer.connect(before.l2psUri())) {
                alice.register();
                assertThat(Wire.type(alice.send(bob.publicKeyHex(), "c3RvcmVk", queuedHash)))
                        .isEqualTo("message_queued");
            }
            try (LegacyPeer sender = new LegacyPeer(WsClient.connect(before.legacyUri()), LegacyPeer.newId())) {
                sender.register();
                sender.send(legacyTarget, obj("n", 1));
                assertThat(Wire.type(sender.ws.next())).isEqualTo("message_queued");
            }
        }
        assertThat(messages(url)).isEqualTo(1);

        try (DemosImServer server = start(url, Long.MAX_VALUE);
                L2psPeer alice = L2psPeer.connect(server.l2psUri());
                L2psPeer recipient = L2psPeer.connect(server.l2psUri(), bob)) {
            alice.register();
            recipient.register();
            // The message stored before is delivered (the queue drains on registration) ...
            JsonValue delivered = recipient.ws.next("message");
            assertThat(Wire.str(delivered, "payload.messageHash")).isEqualTo(queuedHash);
            // ... but a new one, to an online or an offline recipient, is refused and not stored. l2ps.md §4.3: every
            // send failure inside the service is L2PS_SUBMIT_FAILED; the text is this server's own (docs/server.md).
            JsonValue live = alice.send(recipient.pk(), "bmV3");
            assertThat(Wire.type(live)).isEqualTo("error");
            assertThat(Wire.str(live, "payload.code")).isEqualTo("L2PS_SUBMIT_FAILED");
            assertThat(Wire.str(live, "payload.message")).isEqualTo(FULL);
            JsonValue offline = alice.send(Ed25519Key.random().publicKeyHex(), "bmV3");
            assertThat(Wire.str(offline, "payload.message")).isEqualTo(FULL);
            assertThat(messages(url)).isEqualTo(1);
            assertThat(recipient.ws.drainNow()).noneMatch(f -> "message".equals(Wire.type(f)));

            // Legacy: the stored message reaches its target, a live one passes (nothing is stored for it), and one
            // for an offline target is refused with the code of the other storage refusals (legacy-and-crypto.md
            // §A.7 and §A.8: INTERNAL_ERROR, `Failed to store offline message`, the quota's text).
            LegacyPeer target = new LegacyPeer(WsClient.connect(server.legacyUri()), legacyTarget);
            LegacyPeer sender = new LegacyPeer(WsClient.connect(server.legacyUri()), LegacyPeer.newId());
            try (target; sender) {
                target.register();
                assertThat(Wire.at(target.ws.next("message"), "payload.message")).isEqualTo(obj("n", 1));
                sender.register();
                sender.send(legacyTarget, obj("n", 2));
                assertThat(Wire.at(target.ws.next("message"), "payload.message")).isEqualTo(obj("n", 2));
                sender.send(LegacyPeer.newId(), obj("n", 3));
                JsonValue refused = sender.ws.next("error");
                assertThat(Wire.str(refused, "payload.errorType")).isEqualTo("INTERNAL_ERROR");
                assertThat(Wire.str(refused, "payload.details")).isEqualTo(FULL);
            }
        }
    }

    /** L2PS messages stored in the file (beside the server: one process, one open database). */
    private static long messages(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM l2ps_messages")) {
            r.next();
            return r.getLong(1);
        }
    }
}
