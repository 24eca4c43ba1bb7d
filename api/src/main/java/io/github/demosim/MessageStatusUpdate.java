package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * The L2PS pipeline status of a message this peer sent changed (extension {@code message_status}):
 * {@link L2psStatus#L2PS_PENDING}, {@link L2psStatus#L2PS_BATCHED}, {@link L2psStatus#L2PS_CONFIRMED}, or
 * {@link L2psStatus#FAILED}.
 *
 * @param messageHash the message
 * @param status the new status; {@link L2psStatus#UNKNOWN} for one this SDK does not know
 * @param l2psTxHash the L2PS transaction hash, once known
 */
public record MessageStatusUpdate(String messageHash, L2psStatus status, Optional<String> l2psTxHash) {

    /**
     * Creates the update.
     *
     * @param messageHash the message
     * @param status the status
     * @param l2psTxHash the transaction hash, if known
     */
    public MessageStatusUpdate {
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(l2psTxHash, "l2psTxHash");
    }
}
