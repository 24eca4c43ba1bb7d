package io.github.demosim.frame.l2ps;

/**
 * Client to server: ask whether a key is online in this network; with the key-directory extension the answer also carries its ML-KEM key ({@code l2ps.md} §8).
 *
 * @param targetId the key asked about
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record RequestPublicKey(
        String targetId,
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "request_public_key";

    @Override
    public String type() {
        return TYPE;
    }
}
