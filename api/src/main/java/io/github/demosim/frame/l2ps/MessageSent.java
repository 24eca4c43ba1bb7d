package io.github.demosim.frame.l2ps;

/**
 * Server to client: the recipient was online and the message was delivered ({@code l2ps.md} §5.4 step 5).
 *
 * @param messageHash the hash of the sent message
 * @param l2psStatus {@code submitted} (the reference's only value)
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record MessageSent(
        String messageHash,
        String l2psStatus,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message_sent";

    @Override
    public String type() {
        return TYPE;
    }
}
