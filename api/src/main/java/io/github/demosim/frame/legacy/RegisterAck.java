package io.github.demosim.frame.legacy;

/**
 * Server to client: registration accepted.
 *
 * @param success always {@code true}
 * @param clientId the registered id, or {@code null}
 */
public record RegisterAck(
        boolean success,
        String clientId) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "register";

    @Override
    public String type() {
        return TYPE;
    }
}
