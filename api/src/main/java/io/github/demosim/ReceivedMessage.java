package io.github.demosim;

import io.github.demosim.frame.l2ps.Encrypted;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message that arrived for this L2PS peer, live or from the server's offline queue.
 *
 * @param from the sender's key
 * @param messageHash the sender's hash; duplicates with the same hash are dropped before listeners see them
 * @param encrypted the encrypted payload as the server relayed it
 * @param offline {@code true} when it was queued while this peer was offline
 * @param sentAt when the server stored it, if the server says (an extension; the reference node omits it)
 * @param text the plaintext, when the peer holds an {@link Identity} and the payload is ml-kem-aes encrypted to
 *     its key; empty otherwise (a payload in another scheme, or for someone else)
 */
public record ReceivedMessage(String from, String messageHash, Encrypted encrypted,
        boolean offline, Optional<Instant> sentAt, Optional<String> text) {

    /**
     * Creates the message.
     *
     * @param from the sender
     * @param messageHash the hash
     * @param encrypted the payload
     * @param offline whether it was queued
     * @param sentAt when it was stored, if known
     * @param text the plaintext, if decrypted
     */
    public ReceivedMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(encrypted, "encrypted");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Returns the plaintext, or fails if there is none.
     *
     * @return the decrypted text
     * @throws java.util.NoSuchElementException if the message could not be decrypted by this peer
     */
    public String requireText() {
        return text.orElseThrow();
    }
}
