package io.github.demosim.it;

import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.TestIdentities.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ConnectionState;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer pointed at the other protocol's port recognises the answer (an error frame of the other protocol) and fails
 * {@code connect()} at once, saying which port to use, instead of waiting for its registration to time out.
 */
class ProtocolMismatchTests {
    /** Longer than Await's hang guard: a failure within it cannot be the register timeout. */
    private static final Duration LONG = Duration.ofMinutes(5);

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void anL2psPeerAtALegacyPortIsToldSo(String transport, ServerMode mode) {
        try (DemosImServer server = DemosImServer.newBuilder().mode(mode).l2psPort(0).legacyPort(0).inMemoryDatabase().start();
             L2psMessagingPeer peer = L2psMessagingPeer.newBuilder().serverUri(server.legacyUri()).identity(ALICE)
                     .l2psUid(DemosImServer.DEFAULT_L2PS_UID).transport(transport)
                     .reconnectPolicy(ReconnectPolicy.defaults()).requestTimeout(LONG).build()) {
            Throwable failure = failure(peer.connect());
            assertThat(failure).isInstanceOf(ImException.class).hasMessageContaining("legacy signaling server")
                    .hasMessageContaining("L2PS port (3006 by default)");
            assertThat(((ImException) failure).code()).isEqualTo(ErrorCode.PROTOCOL_MISMATCH);
            assertThat(peer.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void aLegacyPeerAtAnL2psPortIsToldSo(String transport, ServerMode mode) {
        try (DemosImServer server = DemosImServer.newBuilder().mode(mode).l2psPort(0).legacyPort(0).inMemoryDatabase().start();
             MessagingPeer peer = MessagingPeer.newBuilder().serverUri(server.l2psUri()).clientId("alice")
                     .identity(ALICE).transport(transport).requestTimeout(LONG).build()) {
            Throwable failure = failure(peer.connect());
            assertThat(failure).isInstanceOf(ImException.class).hasMessageContaining("L2PS messaging server")
                    .hasMessageContaining("legacy port (3005 by default)");
            assertThat(((ImException) failure).code()).isEqualTo(ErrorCode.PROTOCOL_MISMATCH);
            assertThat(peer.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }
}
