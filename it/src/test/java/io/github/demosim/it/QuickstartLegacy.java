package io.github.demosim.it;

import io.github.demosim.Identity;
import io.github.demosim.MessagingPeer;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The code of {@code docs/quickstart-legacy.md}, compiled and run by {@link QuickstartTests}; the part between the
 * tags is copied into the document verbatim (a test checks it).
 */
final class QuickstartLegacy {
    private QuickstartLegacy() {
    }

    static void run(URI server) throws InterruptedException {
        // tag::quickstart[]
        Identity aliceId = Identity.generate();   // or Identity.fromMnemonic(...), Identity.fromMasterSeed(...)
        Identity bobId = Identity.generate();
        CountDownLatch bobGotIt = new CountDownLatch(1);

        try (MessagingPeer alice = MessagingPeer.newBuilder()
                     .serverUri(server)                      // e.g. ws://127.0.0.1:3005
                     .clientId("alice")
                     .identity(aliceId)
                     .build();
             MessagingPeer bob = MessagingPeer.newBuilder()
                     .serverUri(server)
                     .clientId("bob")
                     .identity(bobId)
                     .build()) {

            bob.onMessage(m -> {
                System.out.println(m.fromId() + " → bob: " + m.text());
                bobGotIt.countDown();
            });
            alice.onError(e -> System.out.println("alice: " + e.error().getMessage()));

            alice.connect().join();   // registers alice's ML-KEM key with an ML-DSA-65 proof
            bob.connect().join();

            System.out.println("online: " + alice.discoverPeers().join());
            // looks bob's key up, encrypts with ml-kem-aes, sends
            alice.sendMessage("bob", "hello bob").join();
            bobGotIt.await(10, TimeUnit.SECONDS);
        }
        // end::quickstart[]
    }
}
