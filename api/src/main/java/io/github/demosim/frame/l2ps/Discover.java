package io.github.demosim.frame.l2ps;

/**
 * Client to server: list the keys online in this network, the requester included ({@code l2ps.md} §8).
 *
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Discover(
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "discover";

    @Override
    public String type() {
        return TYPE;
    }
}
