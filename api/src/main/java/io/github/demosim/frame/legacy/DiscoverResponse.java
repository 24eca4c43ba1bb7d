package io.github.demosim.frame.legacy;

import java.util.List;

/**
 * Server to client: every registered client id, the requester's included.
 *
 * @param peers the ids
 */
public record DiscoverResponse(
        List<String> peers) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "discover";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the frame.
     *
     * @param peers the ids
     */
    public DiscoverResponse {
        peers = peers == null ? java.util.List.of() : java.util.List.copyOf(peers);
    }
}
