package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * The L2PS pipeline status of a message this peer sent changed (extension {@code message_status}):
 * {@code l2ps_pending}, {@code l2ps_batched}, {@code l2ps_confirmed}, or {@code failed}.
 *
 * @param messageHash the message
 * @param status the new status
 * @param l2psTxHash the L2PS transaction hash, once known
 */
public record MessageStatusUpdate(String messageHash, String status, Optional<String> l2psTxHash) {

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
