package io.github.demosim.frame.legacy;

/**
 * Client to server: list every registered client id, the requester's included.
 *

 */
public record Discover(
        ) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "discover";

    @Override
    public String type() {
        return TYPE;
    }
}
