package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.server.DemosImServer;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options shared by the client commands: protocol, server, identity, network, client id, transport. */
final class ClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "l2ps|legacy", description = "Protocol. Default: ${DEFAULT-VALUE}.")
    String protocol = "l2ps";

    @Option(names = "--server", paramLabel = "URI", description = "Server URI. Default: ws://127.0.0.1:3006 (l2ps) or ws://127.0.0.1:3005 (legacy).")
    URI server;

    @Mixin
    IdentityOptions identity;

    @Option(names = "--network", paramLabel = "UID", description = "L2PS network uid. Default: " + DemosImServer.DEFAULT_L2PS_UID + ".")
    String network = DemosImServer.DEFAULT_L2PS_UID;

    @Option(names = "--id", paramLabel = "CLIENT-ID", description = "Legacy client id (required with --protocol legacy).")
    String clientId;

    @Option(names = "--transport", paramLabel = "NAME", description = "Transport provider: java-websocket or tyrus. Default: the one installed, else java-websocket.")
    String transport;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "Connect timeout. Default: ${DEFAULT-VALUE}.")
    int connectTimeoutSeconds = 10;

    boolean legacy() {
        switch (protocol.toLowerCase(Locale.ROOT)) {
            case "l2ps":
                return false;
            case "legacy":
                return true;
            default:
                throw new ParameterException(spec.commandLine(), "--protocol must be l2ps or legacy, not '" + protocol + "'");
        }
    }

    URI serverUri() {
        if (server != null) {
            return server;
        }
        return URI.create(legacy() ? "ws://127.0.0.1:" + DemosImServer.DEFAULT_LEGACY_PORT
                : "ws://127.0.0.1:" + DemosImServer.DEFAULT_L2PS_PORT);
    }

    /** The transport name: the one asked for, else java-websocket (the image carries both). */
    String transportName() {
        String name = transport != null ? transport : System.getProperty("demos.im.transport", "java-websocket");
        return Transports.require(spec, "--transport", name);
    }

    L2psMessagingPeer l2psPeer(Identity id) {
        return L2psMessagingPeer.newBuilder()
                .serverUri(serverUri())
                .identity(id)
                .l2psUid(network)
                .transport(transportName())
                .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                .reconnectPolicy(ReconnectPolicy.defaults())
                .build();
    }

    MessagingPeer legacyPeer(Identity id) {
        if (clientId == null || clientId.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--protocol legacy needs --id CLIENT-ID");
        }
        return MessagingPeer.newBuilder()
                .serverUri(serverUri())
                .clientId(clientId)
                .identity(id)
                .transport(transportName())
                .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                .reconnectPolicy(ReconnectPolicy.defaults())
                .build();
    }
}
