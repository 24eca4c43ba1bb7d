package io.github.demosim.frame.l2ps;

/**
 * Server to client: a message for this peer, live or from the offline queue ({@code l2ps.md} §5.4, §6.1).
 *
 * @param from the sender's public key
 * @param encrypted the payload as the sender sent it
 * @param messageHash the sender's hash
 * @param offline {@code true} when delivered from the offline queue
 * @param sentAt extension: the server time the message was stored, or {@code null} (the reference omits it)
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Message(
        String from,
        Encrypted encrypted,
        String messageHash,
        boolean offline,
        Long sentAt,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message";

    @Override
    public String type() {
        return TYPE;
    }
}
