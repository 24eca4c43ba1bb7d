package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * The server's acknowledgement of a sent L2PS message.
 *
 * @param messageHash the message's hash, as sent
 * @param outcome delivered live or queued for later
 * @param l2psStatus the status the server reported: {@code message_sent.l2psStatus} for
 *     {@link SendOutcome#DELIVERED} ({@link L2psStatus#SUBMITTED} on the reference node),
 *     {@code message_queued.status} for {@link SendOutcome#QUEUED} ({@link L2psStatus#QUEUED});
 *     {@link L2psStatus#UNKNOWN} when the server sent none or one this SDK does not know
 * @param messageId the id of the signed envelope the message was sent in, which replies and reactions refer to;
 *     empty when it was sent as plain text (to a peer that does not read envelopes, or with {@code send(to,
 *     encrypted, hash)})
 */
public record SendResult(String messageHash, SendOutcome outcome, L2psStatus l2psStatus, Optional<String> messageId) {

    /**
     * Creates the result.
     *
     * @param messageHash the hash
     * @param outcome the outcome
     * @param l2psStatus the reported status
     * @param messageId the envelope's id, if sent in one
     */
    public SendResult {
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(l2psStatus, "l2psStatus");
        Objects.requireNonNull(messageId, "messageId");
    }

    /**
     * Creates the result of a message sent as plain text.
     *
     * @param messageHash the hash
     * @param outcome the outcome
     * @param l2psStatus the reported status
     */
    public SendResult(String messageHash, SendOutcome outcome, L2psStatus l2psStatus) {
        this(messageHash, outcome, l2psStatus, Optional.empty());
    }

    /**
     * Returns whether the message was sent in a signed envelope.
     *
     * @return whether {@link #messageId()} is present
     */
    public boolean signed() {
        return messageId.isPresent();
    }
}
