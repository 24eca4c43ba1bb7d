package io.github.demosim.frame.legacy;

/**
 * Server to client: the target was offline; the message was stored.
 *
 * @param targetId the target
 * @param status {@code offline}
 * @param message {@code Message stored for offline delivery}
 */
public record MessageQueued(
        String targetId,
        String status,
        String message) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message_queued";

    @Override
    public String type() {
        return TYPE;
    }
}
