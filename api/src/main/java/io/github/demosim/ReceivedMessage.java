package io.github.demosim;

import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.frame.l2ps.Encrypted;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message that arrived for this L2PS peer, live or from the server's offline queue, with what the peer could
 * establish about its sender. Check {@link #authenticated()} before you believe {@code from}: only a signed envelope
 * that passed every check ({@code docs/envelopes.md} §5) says who wrote it; plain text, as the TypeScript SDK sends
 * it, has the server's word only.
 *
 * @param from the sender's key, as the server names it
 * @param messageHash the sender's hash; duplicates with the same hash are dropped before listeners see them
 * @param encrypted the encrypted payload as the server relayed it
 * @param offline {@code true} when it was queued while this peer was offline
 * @param sentAt when the server stored it, if the server says (an extension; the reference node omits it)
 * @param text the text: the plaintext of a plain message, or the content of an envelope that is not media; empty
 *     when the peer holds no {@link Identity}, the payload is not for it, or the envelope is media
 * @param verification what the peer could establish about the sender, and why
 * @param envelope the signed envelope, when the message is one (also when it failed verification: then its
 *     members are claims, not facts)
 */
public record ReceivedMessage(String from, String messageHash, Encrypted encrypted,
        boolean offline, Optional<Instant> sentAt, Optional<String> text, SenderVerification verification,
        Optional<MessageEnvelope> envelope) {

    /**
     * Creates the message.
     *
     * @param from the sender
     * @param messageHash the hash
     * @param encrypted the payload
     * @param offline whether it was queued
     * @param sentAt when it was stored, if known
     * @param text the text, if any
     * @param verification the sender verification
     * @param envelope the envelope, if any
     */
    public ReceivedMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(encrypted, "encrypted");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(envelope, "envelope");
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

    /**
     * Returns the plaintext, or fails if there is none.
     *
     * @return the decrypted text
     * @throws java.util.NoSuchElementException if the message could not be decrypted by this peer, or is media
     */
    public String requireText() {
        return text.orElseThrow();
    }
}
