package io.github.demosim.it.app;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.server.DemosImServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An application as a user writes it, run in a JVM of its own by {@code LoggingHygieneTests}: an embedded server
 * and two L2PS peers on the Java-WebSocket transport exchange one message. Prints {@code received <text>}.
 */
public final class EmbeddedServerApp {
    private EmbeddedServerApp() {
    }

    public static void main(String[] args) throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            Identity alice = Identity.generate();
            Identity bob = Identity.generate();
            try (L2psMessagingPeer a = peer(server, alice); L2psMessagingPeer b = peer(server, bob)) {
                CompletableFuture<String> received = new CompletableFuture<>();
                b.onMessage(m -> received.complete(m.text().orElse("<not decrypted>")));
                a.connect().get(30, TimeUnit.SECONDS);
                b.connect().get(30, TimeUnit.SECONDS);
                a.sendText(bob.ed25519PublicKeyHex(), "hello").get(30, TimeUnit.SECONDS);
                System.out.println("received " + received.get(30, TimeUnit.SECONDS));
            }
        }
    }

    private static L2psMessagingPeer peer(DemosImServer server, Identity identity) {
        return L2psMessagingPeer.newBuilder().serverUri(server.l2psUri()).identity(identity)
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).transport("java-websocket").build();
    }
}
