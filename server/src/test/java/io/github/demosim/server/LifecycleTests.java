package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.WsClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, reporting ports, refusing bad settings, and stopping gracefully. */
class LifecycleTests {

    @Test
    void ephemeralPortsAreReportedAndEitherPortCanBeDisabled() {
        try (DemosImServer both = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            assertThat(both.l2psPort()).isPositive().isNotEqualTo(both.legacyPort());
            assertThat(both.legacyPort()).isPositive();
            assertThat(both.l2psUri().toString()).isEqualTo("ws://127.0.0.1:" + both.l2psPort() + "/");
            assertThat(both.mode()).isEqualTo(ServerMode.HARDENED);
            assertThat(both.l2psUids()).containsExactly("testnet_l2ps_001");
            assertThat(both.toString()).contains("HARDENED").contains(Integer.toString(both.l2psPort()));
        }
        try (DemosImServer legacyOnly = DemosImServer.newBuilder().disableL2ps().legacyPort(0).inMemoryDatabase()
                .mode(ServerMode.REFERENCE).start()) {
            assertThat(legacyOnly.l2psPort()).isEqualTo(-1);
            assertThatThrownBy(legacyOnly::l2psUri).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("L2PS port is disabled");
            try (LegacyPeer p = new LegacyPeer(WsClient.connect(legacyOnly.legacyUri()), LegacyPeer.newId())) {
                p.register();
            }
        }
    }

    @Test
    void aTakenPortFailsTheStartWithAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(taken.getLocalPort()).legacyPort(0)
                    .inMemoryDatabase().start())
                    .isInstanceOf(ImException.class)
                    .satisfies(e -> assertThat(((ImException) e).code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                    .hasMessageContaining("could not listen").hasMessageContaining("[IM-SERVER-002]");
        }
    }

    @Test
    void anUnreachableDatabaseFailsTheStartWithAClearError() {
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).legacyPort(0)
                .databaseUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2").start())
                .isInstanceOf(ImException.class)
                .hasMessageContaining("could not open its database").hasMessageContaining("[IM-SERVER-002]");
    }

    @Test
    void badSettingsAreRefusedAtTheBuilder() {
        DemosImServer.Builder b = DemosImServer.newBuilder();
        assertThatThrownBy(() -> b.l2psPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.l2psUids("bad uid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A-Za-z0-9_-]");
        assertThatThrownBy(() -> b.databaseUrl("postgres://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:");
        assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.batchInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.rateLimit(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.disableL2ps().disableLegacy().start()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopClosesConnectionsWithGoingAwayAndIsIdempotent(@TempDir Path dir) {
        DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseFile(dir.resolve("db"))
                .start();
        L2psPeer a = L2psPeer.connect(server.l2psUri());
        L2psPeer b = L2psPeer.connect(server.l2psUri());
        a.register();
        b.register();
        a.ws.await("peer_joined");
        server.stop();
        assertThat(a.ws.awaitClose()).isEqualTo(1001);
        assertThat(b.ws.awaitClose()).isEqualTo(1001);
        assertThat(a.ws.drainNow()).noneMatch(f -> "peer_left".equals(io.github.demosim.server.support.Wire.type(f)));
        server.stop();
        assertThat(Files.exists(dir.resolve("db.mv.db"))).isTrue();
    }
}
