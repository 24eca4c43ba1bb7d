package io.github.demosim;

import java.util.Objects;

/**
 * The server's acknowledgement of a sent L2PS message.
 *
 * @param messageHash the message's hash, as sent
 * @param outcome delivered live or queued for later
 * @param l2psStatus the status the server reported: {@code message_sent.l2psStatus} for
 *     {@link SendOutcome#DELIVERED} ({@link L2psStatus#SUBMITTED} on the reference node),
 *     {@code message_queued.status} for {@link SendOutcome#QUEUED} ({@link L2psStatus#QUEUED});
 *     {@link L2psStatus#UNKNOWN} when the server sent none or one this SDK does not know
 */
public record SendResult(String messageHash, SendOutcome outcome, L2psStatus l2psStatus) {

    /**
     * Creates the result.
     *
     * @param messageHash the hash
     * @param outcome the outcome
     * @param l2psStatus the reported status
     */
    public SendResult {
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(l2psStatus, "l2psStatus");
    }
}
