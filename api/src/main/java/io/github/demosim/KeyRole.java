package io.github.demosim;

/** What a key of another peer is for, as a {@link TrustStore} remembers it. */
public enum KeyRole {
    /**
     * The key that signs a peer's envelopes: its Ed25519 key on L2PS (which is also its address), its ML-DSA-65 key
     * on the legacy protocol. A pinned signing key also tells that the peer signs its messages, so plain text in its
     * name is a downgrade and messages to it are sent as envelopes.
     */
    SIGNING,
    /**
     * The ML-KEM-768 key messages to a peer are encrypted to, as a key directory returned it: a change means the
     * peer has a new key, or the directory hands out someone else's.
     */
    ENCRYPTION
}
