package io.github.demosim;

import java.util.Objects;

/**
 * A peer presented another key than the one this peer remembers for it ({@link TrustStore}, trust on first use), as
 * Signal reports a changed safety number. Either the peer has a new key (a new device, a restored identity), or
 * someone else uses its name: a server that forges the sender, a key directory that hands out another key. Compare
 * the keys out of band; to trust the new one, {@link TrustStore#pin pin} it.
 *
 * <p>What follows depends on the role: a message signed by the new {@link KeyRole#SIGNING} key is not
 * authenticated ({@link SenderVerification.Status#KEY_CHANGED}) and the old key stays pinned until the application
 * pins the new one; a new {@link KeyRole#ENCRYPTION} key from the server's key directory replaces the pinned one and
 * is used for the message that looked it up.
 *
 * @param peer the peer: its client id (legacy) or key (L2PS)
 * @param role what the key is for
 * @param pinnedKey the key remembered so far
 * @param presentedKey the key presented now
 */
public record KeyChangeEvent(String peer, KeyRole role, Bytes pinnedKey, Bytes presentedKey) {

    /**
     * Creates the event.
     *
     * @param peer the peer
     * @param role the key's role
     * @param pinnedKey the key remembered
     * @param presentedKey the key presented
     */
    public KeyChangeEvent {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(pinnedKey, "pinnedKey");
        Objects.requireNonNull(presentedKey, "presentedKey");
    }
}
