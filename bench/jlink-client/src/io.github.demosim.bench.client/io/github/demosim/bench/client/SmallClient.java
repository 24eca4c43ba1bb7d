package io.github.demosim.bench.client;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.TextMessage;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two users on each protocol, through a running server, from inside a jlink image: L2PS (Ed25519 proofs,
 * ML-KEM-768 + AES-GCM) and legacy (ML-DSA-65 registration proofs, the same encryption). Each message is
 * checked as decrypted by its recipient. Exits 0 when everything arrived, 1 otherwise, naming the step.
 *
 * <p>Usage: {@code small-client <l2ps ws uri> <legacy ws uri> <l2ps network uid>}
 */
public final class SmallClient {
    private static final long TIMEOUT_SECONDS = 30;

    private SmallClient() {
    }

    /**
     * Runs the exchange.
     *
     * @param args the L2PS URI, the legacy URI and the L2PS network uid
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: small-client <l2ps ws uri> <legacy ws uri> <l2ps network uid>");
            System.exit(2);
        }
        String step = "finding the providers";
        try {
            System.out.println("runtime: Java " + Runtime.version() + ", modules: " + ModuleLayer.boot().modules().size()
                    + ", crypto provider: " + CryptoProvider.find().name() + ", transport: " + TransportProvider.find().name());
            step = "L2PS: two peers, one message each way";
            l2ps(args[0], args[2]);
            step = "legacy: two peers (ML-DSA-65 registration proofs), one message each way";
            legacy(args[1]);
            System.out.println("OK");
        } catch (Exception e) {
            System.err.println("FAILED at " + step + ": " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void l2ps(String uri, String network) throws Exception {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        try (L2psMessagingPeer a = L2psMessagingPeer.newBuilder().serverUri(uri).identity(alice).l2psUid(network).build();
             L2psMessagingPeer b = L2psMessagingPeer.newBuilder().serverUri(uri).identity(bob).l2psUid(network).build()) {
            CompletableFuture<String> atBob = new CompletableFuture<>();
            CompletableFuture<String> atAlice = new CompletableFuture<>();
            b.onMessage(m -> atBob.complete(m.text().orElse("<undecryptable>")));
            a.onMessage(m -> atAlice.complete(m.text().orElse("<undecryptable>")));
            a.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            b.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            SendResult sent = a.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(), "hello bob, from a jlink image")
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            expect("bob decrypts alice's message", atBob.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "hello bob, from a jlink image");
            b.sendText(alice.ed25519PublicKeyHex(), alice.mlKemPublicKey(), "hello alice").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            expect("alice decrypts bob's reply", atAlice.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "hello alice");
            System.out.println("L2PS: alice -> bob " + sent.outcome() + ", both messages decrypted");
        }
    }

    private static void legacy(String uri) throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        try (MessagingPeer a = MessagingPeer.newBuilder().serverUri(uri).clientId("alice-" + suffix)
                     .identity(Identity.generate()).build();
             MessagingPeer b = MessagingPeer.newBuilder().serverUri(uri).clientId("bob-" + suffix)
                     .identity(Identity.generate()).build()) {
            CompletableFuture<TextMessage> atBob = new CompletableFuture<>();
            CompletableFuture<TextMessage> atAlice = new CompletableFuture<>();
            b.onMessage(atBob::complete);
            a.onMessage(atAlice::complete);
            a.onError(e -> atBob.completeExceptionally(e.error()));
            b.onError(e -> atAlice.completeExceptionally(e.error()));
            a.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            b.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            a.sendText("bob-" + suffix, "hello bob (legacy)").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            expect("bob decrypts alice's legacy message", atBob.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).text(),
                    "hello bob (legacy)");
            b.sendText("alice-" + suffix, "hello alice (legacy)").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            expect("alice decrypts bob's legacy reply", atAlice.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).text(),
                    "hello alice (legacy)");
            System.out.println("legacy: registered with ML-DSA-65 proofs, both messages decrypted");
        }
    }

    private static void expect(String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(what + ": expected '" + expected + "', got '" + actual + "'");
        }
    }
}
