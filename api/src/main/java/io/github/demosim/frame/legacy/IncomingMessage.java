package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Server to client: a message relayed from {@code fromId}, live or replayed from the offline store.
 *
 * @param message the sender's SerializedEncryptedObject, unchanged
 * @param fromId the sender's client id
 * @param timestamp for offline replays, when the message was stored (ms since the epoch); {@code null} for live messages
 */
public record IncomingMessage(
        JsonValue message,
        String fromId,
        Long timestamp) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message";

    @Override
    public String type() {
        return TYPE;
    }
}
