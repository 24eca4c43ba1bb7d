package com.example.chat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendResult;
import io.github.demosim.TextMessage;
import io.github.demosim.server.DemosImServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Alice and Bob on an embedded server: one message on each protocol, over the transport -Ddemos.im.transport names. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder()
                .l2psPort(0).legacyPort(0)   // any free ports; by default 3006 and 3005
                .inMemoryDatabase()
                .start()) {
            Identity alice = Identity.generate();
            Identity bob = Identity.generate();

            // L2PS: Bob's ML-KEM key comes from the server's key directory
            try (L2psMessagingPeer a = l2ps(server, alice); L2psMessagingPeer b = l2ps(server, bob)) {
                CompletableFuture<ReceivedMessage> got = new CompletableFuture<>();
                b.onMessage(got::complete);
                a.connect().join();
                b.connect().join();
                SendResult sent = a.sendText(bob.ed25519PublicKeyHex(), "hello over L2PS").join();
                System.out.println("L2PS: " + sent.outcome() + ", Bob read \""
                        + got.get(30, TimeUnit.SECONDS).requireText() + "\"");
            }

            // legacy: Bob's ML-KEM key comes from the server, which knows it while Bob is online
            try (MessagingPeer a = legacy(server, "alice", alice); MessagingPeer b = legacy(server, "bob", bob)) {
                CompletableFuture<TextMessage> got = new CompletableFuture<>();
                b.onMessage(got::complete);
                a.connect().join();
                b.connect().join();
                a.sendText("bob", "hello over the legacy protocol").join();
                System.out.println("legacy: Bob read \"" + got.get(30, TimeUnit.SECONDS).text() + "\" from "
                        + got.get().from());
            }
        }
        System.out.println("transport: " + System.getProperty("demos.im.transport", "(the only one present)"));
    }

    private static L2psMessagingPeer l2ps(DemosImServer server, Identity identity) {
        return L2psMessagingPeer.newBuilder()
                .serverUri(server.l2psUri())
                .identity(identity)
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID)
                .build();
    }

    private static MessagingPeer legacy(DemosImServer server, String clientId, Identity identity) {
        return MessagingPeer.newBuilder()
                .serverUri(server.legacyUri())
                .clientId(clientId)
                .identity(identity)
                .build();
    }
}
