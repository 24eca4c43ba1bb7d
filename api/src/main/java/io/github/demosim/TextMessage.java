package io.github.demosim;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decrypted message that arrived for a {@link MessagingPeer}, live or replayed from the server's offline
 * store.
 *
 * @param from the sender's client id, as the server asserts it (the legacy scheme does not authenticate
 *     senders, {@code legacy-and-crypto.md} §C.1 #11)
 * @param text the plaintext
 * @param storedAt for an offline replay, when the server stored the message; empty for a live message
 */
public record TextMessage(String from, String text, Optional<Instant> storedAt) {

    /**
     * Creates the message.
     *
     * @param from the sender
     * @param text the plaintext
     * @param storedAt when it was stored, for replays
     */
    public TextMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(storedAt, "storedAt");
    }

    /**
     * Returns whether the message was stored while this peer was offline and replayed at registration.
     *
     * @return {@code true} for a replay
     */
    public boolean offline() {
        return storedAt.isPresent();
    }
}
