package io.github.demosim.frame.l2ps;

/**
 * Server to client, extension {@code message_status}: the L2PS pipeline status of a message this client sent changed.
 *
 * @param messageHash the message
 * @param status the new status, e.g. {@code l2ps_batched}, {@code l2ps_confirmed}
 * @param l2psTxHash the L2PS transaction hash, or {@code null}
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record MessageStatus(
        String messageHash,
        String status,
        String l2psTxHash,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message_status";

    @Override
    public String type() {
        return TYPE;
    }
}
