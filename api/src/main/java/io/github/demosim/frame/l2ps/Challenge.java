package io.github.demosim.frame.l2ps;

/**
 * Client to server, extension {@code server_challenge}: ask for a nonce to sign in this connection's next
 * {@code register}, so that the registration proof is valid at this server, on this connection, only. A reference
 * server rejects it with {@code Unknown type: challenge}; clients send it only to a server that advertises
 * {@code server_challenge} or demands a server-bound proof.
 *
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Challenge(
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "challenge";

    @Override
    public String type() {
        return TYPE;
    }
}
