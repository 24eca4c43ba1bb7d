package io.github.demosim.server.internal.legacy;

import io.github.demosim.Bytes;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.json.JsHex;
import io.github.demosim.server.internal.store.MessageStore;
import java.util.function.LongSupplier;

/**
 * Hardened: a legacy client id belongs to the ML-DSA-65 key whose proof first registered it, for ever (kept in
 * the store, so a restart changes nothing). The reference addresses offline messages to a bare id, so whoever
 * registers an id while its owner is offline receives the owner's queued messages and the key lookups of its
 * contacts (legacy-and-crypto.md §C.1 #9); bound to its key, an id can only be registered again by its owner.
 * The key is the signing key because it is what the proof proves: its owner may still register a new ML-KEM key
 * under the id (clients see the key change, see {@code MessagingPeer.onKeyChange}).
 */
final class LegacyIdOwners {
    private final MessageStore store;
    private final ServerCrypto crypto;
    private final LongSupplier clock;

    LegacyIdOwners(MessageStore store, ServerCrypto crypto, LongSupplier clock) {
        this.store = store;
        this.crypto = crypto;
        this.clock = clock;
    }

    /**
     * Binds the id to the proof's signing key if it is unbound; checks the binding otherwise.
     *
     * @param clientId the id being registered
     * @param proof the verified proof
     * @return whether this key owns the id
     */
    boolean claim(String clientId, SignedObject proof) {
        String keyDigest = JsHex.encode(crypto.sha256(Bytes.fromBase64(proof.serializedPublicKey()).toByteArray()));
        return store.bindLegacyId(clientId, keyDigest, clock.getAsLong()).equals(keyDigest);
    }

    /** The refusal of a registration by another key. */
    static String refusal(String clientIdText) {
        return "Client ID " + clientIdText + " is bound to another key: only the ML-DSA key that first registered it "
                + "can register it again; choose another client id";
    }
}
