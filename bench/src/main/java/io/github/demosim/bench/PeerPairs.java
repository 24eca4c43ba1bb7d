package io.github.demosim.bench;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.spi.CryptoProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Sender/recipient pairs of {@link L2psMessagingPeer}s on one server, connected and registered, each pair with
 * its own identities. Senders know their recipient's ML-KEM key, so {@code sendText} seals at once (as an
 * application that has looked the key up once would).
 */
final class PeerPairs implements AutoCloseable {
    /**
     * One conversation.
     *
     * @param index the pair's number, from 0
     * @param sender who sends
     * @param recipient who receives
     * @param recipientKey the recipient's L2PS address
     * @param recipientKem the recipient's ML-KEM-768 public key
     */
    record Pair(int index, L2psMessagingPeer sender, L2psMessagingPeer recipient, String recipientKey,
            Bytes recipientKem) {
    }

    private final List<Pair> pairs;

    private PeerPairs(List<Pair> pairs) {
        this.pairs = pairs;
    }

    /**
     * Connects {@code count} pairs.
     *
     * @param server the server's L2PS URI
     * @param transport the transport provider's name
     * @param count how many pairs
     * @param onMessage called on the recipient's event thread with the pair's index and each message
     * @return the connected pairs
     */
    static PeerPairs connect(URI server, String transport, int count, BiConsumer<Integer, ReceivedMessage> onMessage) {
        CryptoProvider crypto = CryptoProvider.find();
        List<Pair> pairs = new ArrayList<>();
        List<CompletableFuture<?>> registrations = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Identity from = identity(crypto, i, 1);
                Identity to = identity(crypto, i, 2);
                L2psMessagingPeer sender = peer(server, transport, from);
                L2psMessagingPeer recipient = peer(server, transport, to);
                int index = i;
                recipient.onMessage(m -> onMessage.accept(index, m));
                pairs.add(new Pair(i, sender, recipient, to.ed25519PublicKeyHex(), to.mlKemPublicKey()));
                registrations.add(sender.connect());
                registrations.add(recipient.connect());
            }
            CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            pairs.forEach(PeerPairs::close);
            throw new IllegalStateException("could not connect " + count + " pairs to " + server + " over "
                    + transport, e);
        }
        return new PeerPairs(List.copyOf(pairs));
    }

    private static Identity identity(CryptoProvider crypto, int pair, int role) {
        byte[] seed = BenchInputs.masterSeed();
        seed[0] = (byte) role;
        seed[1] = (byte) pair;
        seed[2] = (byte) (pair >> 8);
        return Identity.fromMasterSeed(seed, crypto);
    }

    private static L2psMessagingPeer peer(URI server, String transport, Identity identity) {
        return L2psMessagingPeer.newBuilder()
                .serverUri(server)
                .identity(identity)
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID)
                .transport(transport)
                .build();
    }

    /**
     * The pairs.
     *
     * @return by index
     */
    List<Pair> pairs() {
        return pairs;
    }

    /** Closes every peer. */
    @Override
    public void close() {
        pairs.forEach(PeerPairs::close);
    }

    private static void close(Pair p) {
        p.sender().close();
        p.recipient().close();
    }
}
