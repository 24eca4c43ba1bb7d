package io.github.demosim.frame.l2ps;

/**
 * Server to client: a key registered in this network.
 *
 * @param publicKey the key that joined
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record PeerJoined(
        String publicKey,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "peer_joined";

    @Override
    public String type() {
        return TYPE;
    }
}
