package io.github.demosim.reliability.support;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** SDK peers as the tests build them: a chosen transport, quick reconnects that do not give up. */
public final class Peers {
    /** Every transport, by provider name. */
    public static final List<String> TRANSPORTS = List.of("java-websocket", "tyrus", "jdk");
    /** Reconnect quickly (100 ms doubling to 1 s, with jitter) and keep trying: faults here are temporary. */
    public static final ReconnectPolicy PERSISTENT = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
            1_000, 0.2);

    private Peers() {
    }

    /** {@link #TRANSPORTS}, for {@code @MethodSource}. */
    public static Stream<String> transports() {
        return TRANSPORTS.stream();
    }

    /** An L2PS peer builder with the test defaults. */
    public static L2psMessagingPeer.Builder l2ps(URI server, Identity id, String transport) {
        return L2psMessagingPeer.newBuilder().serverUri(server).identity(id).l2psUid(Wire.UID).transport(transport)
                .reconnectPolicy(PERSISTENT);
    }

    /** A legacy peer builder with the test defaults. */
    public static MessagingPeer.Builder legacy(URI server, String clientId, Identity id, String transport) {
        return MessagingPeer.newBuilder().serverUri(server).clientId(clientId).identity(id).transport(transport)
                .reconnectPolicy(PERSISTENT);
    }
}
