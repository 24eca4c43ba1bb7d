package io.github.demosim;

import java.util.Objects;

/**
 * The legacy server answered a key lookup with another ML-KEM-768 key than this peer knew for that client id
 * (from an earlier lookup, or given to {@link MessagingPeer#sendText(String, Bytes, String)}). Either the
 * owner of the id registered a new key, or someone else registered the id: a server in reference mode lets
 * anyone register any id that is offline, and what is then encrypted to the new key is readable by them only
 * ({@code legacy-and-crypto.md} §C.1 #9). A hardened server lets only the id's first ML-DSA key register it again,
 * so there the change comes from the id's owner. The peer uses the new key from now on; to keep using a key you
 * trust, pass it to {@link MessagingPeer#sendText(String, Bytes, String)}.
 *
 * @param clientId the client id whose key changed
 * @param previousKey the key this peer knew
 * @param newKey the key the server returned
 */
public record KeyChangeEvent(String clientId, Bytes previousKey, Bytes newKey) {

    /**
     * Creates the event.
     *
     * @param clientId the client id
     * @param previousKey the key known before
     * @param newKey the key now registered
     */
    public KeyChangeEvent {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(previousKey, "previousKey");
        Objects.requireNonNull(newKey, "newKey");
    }
}
