package io.github.demosim.frame.l2ps;

/**
 * Server to client: the recipient was offline; the message is stored for later delivery.
 *
 * @param messageHash the hash of the queued message
 * @param status {@code queued}
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record MessageQueued(
        String messageHash,
        String status,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message_queued";

    @Override
    public String type() {
        return TYPE;
    }
}
