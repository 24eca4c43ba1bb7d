package io.github.demosim;

import java.util.Objects;

/**
 * The legacy server stored a message of this peer because its target was offline ({@code message_queued},
 * {@code legacy-and-crypto.md} §A.8). The server sends nothing when it delivers a message live.
 *
 * @param targetId the target the message was stored for
 * @param status the server's status, {@code offline}
 * @param message the server's text, {@code Message stored for offline delivery}
 */
public record MessageQueuedEvent(String targetId, String status, String message) {

    /**
     * Creates the event.
     *
     * @param targetId the target
     * @param status the status
     * @param message the text
     */
    public MessageQueuedEvent {
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
