package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Client to server: relay an encrypted message to {@code targetId}, or store it if the target is offline.
 *
 * @param targetId the recipient's client id
 * @param message the SerializedEncryptedObject, relayed unchanged; see {@link EncryptedObject}
 */
public record SendMessage(
        String targetId,
        JsonValue message) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "message";

    @Override
    public String type() {
        return TYPE;
    }
}
