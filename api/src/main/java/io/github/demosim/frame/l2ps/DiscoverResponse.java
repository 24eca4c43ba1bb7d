package io.github.demosim.frame.l2ps;

import java.util.List;

/**
 * Server to client: the keys online in the requester's network, the requester included.
 *
 * @param peers the online keys
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record DiscoverResponse(
        List<String> peers,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "discover_response";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the frame.
     *
     * @param peers the online keys
     * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
     * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
     */
    public DiscoverResponse {
        peers = peers == null ? java.util.List.of() : java.util.List.copyOf(peers);
    }
}
