package io.github.demosim.frame.l2ps;

/**
 * Client to server: send an end-to-end encrypted message to a peer ({@code l2ps.md} §5.4).
 *
 * @param to the recipient's public key
 * @param encrypted the encrypted payload, relayed as is
 * @param messageHash the sender-chosen unique hash, the deduplication key
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Send(
        String to,
        Encrypted encrypted,
        String messageHash,
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "send";

    @Override
    public String type() {
        return TYPE;
    }
}
