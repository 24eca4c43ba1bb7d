package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hardened: a legacy client id stays bound to the key that first registered it, across restarts (§C.1 #9). */
class LegacyIdOwnershipTests {

    private static DemosImServer start(String url) {
        return DemosImServer.newBuilder().disableL2ps().legacyPort(0).databaseUrl(url).start();
    }

    // legacy-and-crypto.md §C.1 #9: the binding is kept in the database, so a restart does not free the id
    @Test
    void anIdStaysBoundToItsKeyAcrossARestart() {
        String url = "jdbc:h2:mem:owners-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String id = LegacyPeer.newId();
        try (DemosImServer s1 = start(url);
                LegacyPeer owner = new LegacyPeer(WsClient.connect(s1.legacyUri()), id)) {
            assertThat(Wire.payload(owner.register())).isEqualTo(obj("success", true, "clientId", id));
        }
        try (DemosImServer s2 = start(url);
                WsClient thief = WsClient.connect(s2.legacyUri());
                LegacyPeer owner = new LegacyPeer(WsClient.connect(s2.legacyUri()), id)) {
            thief.send(LegacyPeer.sdkRegister(id));
            LegacyConformanceTests.assertError(thief.next(), "CLIENT_ID_TAKEN", "Client ID " + id + " is bound to "
                    + "another key: only the ML-DSA key that first registered it can register it again; choose another "
                    + "client id");
            assertThat(Wire.payload(owner.register())).isEqualTo(obj("success", true, "clientId", id));
        }
    }

    @Test
    void aReferenceServerBindsNothing() {
        String url = "jdbc:h2:mem:owners-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String id = LegacyPeer.newId();
        try (DemosImServer s = DemosImServer.newBuilder().mode(ServerMode.REFERENCE).disableL2ps().legacyPort(0)
                .databaseUrl(url).start()) {
            try (LegacyPeer owner = new LegacyPeer(WsClient.connect(s.legacyUri()), id)) {
                owner.register();
            }
            try (WsClient other = WsClient.connect(s.legacyUri())) {
                long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
                while (true) { // until the owner's close was handled
                    other.send(LegacyPeer.sdkRegister(id));
                    if ("register".equals(Wire.type(other.next()))) {
                        break;
                    }
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    L2psHardenedTests.sleep(20);
                }
            }
        }
    }
}
