package io.github.demosim.frame.l2ps;

/**
 * Server to client: a key's connection closed.
 *
 * @param publicKey the key that left
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record PeerLeft(
        String publicKey,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "peer_left";

    @Override
    public String type() {
        return TYPE;
    }
}
