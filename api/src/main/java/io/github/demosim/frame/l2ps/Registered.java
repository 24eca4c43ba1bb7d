package io.github.demosim.frame.l2ps;

import java.util.List;

/**
 * Server to client: registration accepted ({@code l2ps.md} §3.2).
 *
 * @param success always {@code true}
 * @param publicKey the registered key, as sent
 * @param l2psUid the network
 * @param onlinePeers the other keys online in the network, the registrant excluded
 * @param features extension: the extensions this server offers; empty from a reference server
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Registered(
        boolean success,
        String publicKey,
        String l2psUid,
        List<String> onlinePeers,
        List<String> features,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "registered";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the frame.
     *
     * @param success always {@code true}
     * @param publicKey the registered key, as sent
     * @param l2psUid the network
     * @param onlinePeers the other keys online in the network, the registrant excluded
     * @param features extension: the extensions this server offers; empty from a reference server
     * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
     * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
     */
    public Registered {
        onlinePeers = onlinePeers == null ? java.util.List.of() : java.util.List.copyOf(onlinePeers);
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }
}
