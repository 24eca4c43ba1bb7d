package io.github.demosim;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A successful L2PS registration ({@code registered}, {@code l2ps.md} §3.2).
 *
 * @param publicKey the registered Ed25519 key, as sent
 * @param l2psUid the network
 * @param onlinePeers the other keys online in the network at that moment, this peer excluded
 * @param features the protocol extensions the server offers ({@code ack}, {@code message_status},
 *     {@code key_directory}, …); empty for a reference node
 */
public record L2psRegistration(String publicKey, String l2psUid, List<String> onlinePeers, Set<String> features) {

    /**
     * Creates the registration.
     *
     * @param publicKey the key
     * @param l2psUid the network
     * @param onlinePeers the other online keys; copied
     * @param features the offered extensions; copied
     */
    public L2psRegistration {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(l2psUid, "l2psUid");
        onlinePeers = List.copyOf(onlinePeers);
        features = Set.copyOf(features);
    }
}
