package io.github.demosim.frame.l2ps;

import io.github.demosim.L2psStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One message of a {@code history_response} ({@code l2ps.md} §3.2): exactly the nine fields the reference
 * emits.
 *
 * @param id the server-generated UUID
 * @param from the sender's key
 * @param to the recipient's key
 * @param messageHash the sender's hash
 * @param encrypted the payload
 * @param l2psUid the network
 * @param l2psTxHash the L2PS transaction hash, or {@code null} before submission
 * @param timestamp the server receive time, ms since the epoch, as the wire carries it; {@link #storedAt()} as
 *     an {@link Instant}
 * @param status one of {@code delivered, queued, sent, failed, l2ps_pending, l2ps_batched, l2ps_confirmed};
 *     {@link L2psStatus#UNKNOWN} for a status this SDK does not know
 */
public record StoredMessage(String id, String from, String to, String messageHash, Encrypted encrypted,
        String l2psUid, String l2psTxHash, long timestamp, L2psStatus status) {

    /**
     * Creates the record.
     *
     * @param id the server-generated UUID
     * @param from the sender's key
     * @param to the recipient's key
     * @param messageHash the sender's hash
     * @param encrypted the payload
     * @param l2psUid the network
     * @param l2psTxHash the L2PS transaction hash, or {@code null}
     * @param timestamp the server receive time
     * @param status the status
     */
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(encrypted, "encrypted");
        Objects.requireNonNull(l2psUid, "l2psUid");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Returns when the server received the message: {@link #timestamp()} as an {@link Instant}.
     *
     * @return the server receive time
     */
    public Instant storedAt() {
        return Instant.ofEpochMilli(timestamp);
    }
}
