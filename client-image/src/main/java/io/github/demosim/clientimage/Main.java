package io.github.demosim.clientimage;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Registers two fresh identities with an L2PS server, sends an end-to-end encrypted message from one to the other
 * and prints what the recipient decrypted: connection, registration proof, ML-KEM sealing and opening, the codec,
 * all from the image.
 *
 * <p>Usage: {@code demos-im-client ws://host:port [l2ps-uid]}; exits 0 when the message arrived and decrypted,
 * 1 with the reason otherwise.
 */
public final class Main {
    private static final long TIMEOUT_SECONDS = 30;

    private Main() {
    }

    /**
     * Runs the exchange.
     *
     * @param args the server URI, and optionally the L2PS network (default {@code testnet_l2ps_001})
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: demos-im-client ws://host:port [l2ps-uid]");
            System.exit(2);
        }
        String uid = args.length == 2 ? args[1] : "testnet_l2ps_001";
        System.out.println("providers: transport " + TransportProvider.find().name() + ", codec "
                + CodecProvider.find().name() + ", crypto " + CryptoProvider.find().name() + "; Java "
                + Runtime.version());
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        CompletableFuture<String> received = new CompletableFuture<>();
        try (L2psMessagingPeer bobPeer = peer(args[0], uid, bob);
                L2psMessagingPeer alicePeer = peer(args[0], uid, alice)) {
            bobPeer.onMessage(m -> received.complete(m.text().orElse("<could not decrypt>")));
            bobPeer.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            alicePeer.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            SendResult sent = alicePeer.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(),
                    "hello from the smallest runtime").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("sent: " + sent.outcome());
            System.out.println("received: " + received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            fail(e.getCause());
        } catch (TimeoutException e) {
            fail(new IllegalStateException("no answer within " + TIMEOUT_SECONDS + " s", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    private static L2psMessagingPeer peer(String uri, String uid, Identity identity) {
        return L2psMessagingPeer.newBuilder().serverUri(uri).identity(identity).l2psUid(uid).build();
    }

    private static void fail(Throwable cause) {
        System.err.println("failed: " + cause.getMessage());
        System.exit(1);
    }
}
