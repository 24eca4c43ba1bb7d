package io.github.demosim;

import io.github.demosim.crypto.MessageEnvelope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decrypted message that arrived for a {@link MessagingPeer}, live or replayed from the server's offline
 * store, with what the peer could establish about its sender. Check {@link #authenticated()} before you believe
 * {@code from}: the legacy scheme itself does not authenticate senders ({@code legacy-and-crypto.md} §C.1 #11); only
 * a signed envelope that passed every check ({@code docs/envelopes.md} §5) says who wrote it.
 *
 * @param from the sender's client id, as the server names it
 * @param text the plaintext of a plain message, or the content of an envelope (empty for media: see
 *     {@link MessageEnvelope#media()})
 * @param storedAt for an offline replay, when the server stored the message; empty for a live message
 * @param verification what the peer could establish about the sender, and why
 * @param envelope the signed envelope, when the message is one (also when it failed verification: then its
 *     members are claims, not facts)
 */
public record TextMessage(String from, String text, Optional<Instant> storedAt, SenderVerification verification,
        Optional<MessageEnvelope> envelope) {

    /**
     * Creates the message.
     *
     * @param from the sender
     * @param text the plaintext
     * @param storedAt when it was stored, for replays
     * @param verification the sender verification
     * @param envelope the envelope, if any
     */
    public TextMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(storedAt, "storedAt");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(envelope, "envelope");
    }

    /**
     * Returns whether the message was stored while this peer was offline and replayed at registration.
     *
     * @return {@code true} for a replay
     */
    public boolean offline() {
        return storedAt.isPresent();
    }

    /**
     * Returns whether the sender is authenticated: a signed envelope by {@code from}, for this peer, seen once.
     *
     * @return {@code verification().authenticated()}
     */
    public boolean authenticated() {
        return verification.authenticated();
    }

    /**
     * Returns the message id that replies and reactions refer to: the envelope's id.
     *
     * @return the id; empty for plain text, which has none
     */
    public Optional<String> messageId() {
        return envelope.map(MessageEnvelope::id);
    }
}
