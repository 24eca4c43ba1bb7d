package io.github.demosim.server.internal.legacy;

import io.github.demosim.server.internal.ServerConfig;

/**
 * Every way the legacy protocol differs between reference mode (the reference server's behaviour, bugs included:
 * legacy-and-crypto.md §C.1) and hardened mode (docs/server.md "Hardened mode"), in one place. The handlers ask
 * these questions and hold no mode branches of their own.
 */
enum LegacyRules {
    /** The reference server's behaviour. */
    REFERENCE,
    /** This project's fixes. */
    HARDENED;

    static LegacyRules of(boolean hardened) {
        return hardened ? HARDENED : REFERENCE;
    }

    private boolean hardened() {
        return this == HARDENED;
    }

    /** Hardened: a connection's frames are handled one after another, so answers keep the requests' order. */
    boolean inOrder() {
        return hardened();
    }

    /** Hardened: a legacy message is at most 1 MiB (Bun's 16 MiB otherwise); its bytes beyond are not kept. */
    long contentLimit() {
        return hardened() ? ServerConfig.HARDENED_LEGACY_MAX_MESSAGE_BYTES : Long.MAX_VALUE;
    }

    /** Hardened: strings with unpaired surrogates are refused (they could not be stored and sent back unchanged). */
    boolean refusesLoneSurrogates() {
        return hardened();
    }

    /** REF (C.1 #2): a bad {@code register} goes on after "Invalid message schema" (usually a second error). */
    boolean stopsAtFirstError() {
        return hardened();
    }

    /** Hardened: a {@code clientId} must be a string (the reference keys its map by any JavaScript value). */
    boolean stringClientIds() {
        return hardened();
    }

    /**
     * Hardened: the registration proof signs exactly the registered ML-KEM-768 key of 1184 bytes; the reference
     * only wants {@code new Uint8Array(publicKey)} non-empty (§A.6 b.2) and verifies the proof on its own.
     */
    boolean verifiesKeyInProof() {
        return hardened();
    }

    /**
     * Hardened: a client id is claimed atomically and bound to the key that first proved it (C.1 #9), and the
     * client's extensions are recorded; REF (C.1 #3): a concurrent registration of the same id overwrites.
     */
    boolean claimsIds() {
        return hardened();
    }

    /** Hardened: a target whose socket is closing is offline (its message is stored, not written into the void). */
    boolean closingIsOffline() {
        return hardened();
    }

    /** Hardened: {@code public_key_response} lists the target's extensions to clients that announced their own. */
    boolean answersFeatures() {
        return hardened();
    }

    /**
     * Hardened: on a cluster of nodes (docs/cluster.md) registrations are shared, so peers see and reach the peers
     * of every node; REF: the node routes only between peers connected to it, as the Demos node does.
     */
    boolean sharesWithCluster() {
        return hardened();
    }

    /** REF (C.1 #3): a closing socket releases only its first id, the others stay as ghosts; hardened: all. */
    boolean releasesAllIds() {
        return hardened();
    }
}
