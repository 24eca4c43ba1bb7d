package io.github.demosim.it;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendResult;
import java.net.URI;

/**
 * The code of {@code docs/quickstart-l2ps.md}, compiled and run by {@link QuickstartTests}; the part between the
 * tags is copied into the document verbatim (a test checks it).
 */
final class QuickstartL2ps {
    private QuickstartL2ps() {
    }

    static void run(URI server) {
        // tag::quickstart[]
        Identity alice = Identity.generate();   // or Identity.fromMnemonic("abandon abandon … about")
        Identity bob = Identity.generate();

        try (L2psMessagingPeer alicePeer = L2psMessagingPeer.newBuilder()
                     .serverUri(server)                      // e.g. ws://127.0.0.1:3006
                     .identity(alice)
                     .l2psUid("testnet_l2ps_001")
                     .build();
             L2psMessagingPeer bobPeer = L2psMessagingPeer.newBuilder()
                     .serverUri(server)
                     .identity(bob)
                     .l2psUid("testnet_l2ps_001")
                     .build()) {

            // register listeners before connect(): offline messages arrive right after registration
            bobPeer.onMessage(m -> System.out.println("bob received: " + m.text().orElse("<not for bob>")
                    + (m.offline() ? " (queued while offline)" : "")));
            alicePeer.onPeerJoined(key -> System.out.println("online: " + key.substring(0, 8) + "…"));

            alicePeer.connect().join();
            bobPeer.connect().join();

            // encrypted to bob's ML-KEM-768 key, looked up in the server's key directory
            // (against a reference node, pass the key: sendText(to, bob.mlKemPublicKey(), text))
            SendResult sent = alicePeer.sendText(bob.ed25519PublicKeyHex(), "hello bob").join();
            System.out.println("alice's message was " + sent.outcome());   // DELIVERED, or QUEUED if bob is offline

            // the whole conversation, newest first, page by page
            alicePeer.historyStream(bob.ed25519PublicKeyHex(), 50)
                    .forEach(stored -> System.out.println("history: " + stored.messageHash().substring(0, 8)
                            + "… " + stored.status()));
        }
        // end::quickstart[]
    }
}
