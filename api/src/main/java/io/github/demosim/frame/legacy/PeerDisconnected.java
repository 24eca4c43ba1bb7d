package io.github.demosim.frame.legacy;

/**
 * Server to client: a registered client's connection closed.
 *
 * @param peerId the id that left
 */
public record PeerDisconnected(
        String peerId) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "peer_disconnected";

    @Override
    public String type() {
        return TYPE;
    }
}
