package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to an L2PS {@code request_public_key} ({@code l2ps.md} §8).
 *
 * <p>On a reference node the answer only says whether {@code targetId} is online in this network (the key
 * comes back equal to the id, or not at all). A server with the {@code key_directory} extension also returns
 * the ML-KEM-768 key the target published when it registered, which is what encrypting to it needs.
 *
 * @param targetId the key asked about
 * @param publicKey the target's key when it is online in this network
 * @param kemPublicKey the target's published ML-KEM-768 public key (1184 bytes), if the server has one
 */
public record PublicKeyLookup(String targetId, Optional<String> publicKey, Optional<Bytes> kemPublicKey) {

    /**
     * Creates the answer.
     *
     * @param targetId the key asked about
     * @param publicKey the key when online
     * @param kemPublicKey the ML-KEM key when published
     */
    public PublicKeyLookup {
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(kemPublicKey, "kemPublicKey");
    }

    /**
     * Returns whether the target is online in this peer's network.
     *
     * @return {@code true} when the server returned its key
     */
    public boolean online() {
        return publicKey.isPresent();
    }
}
