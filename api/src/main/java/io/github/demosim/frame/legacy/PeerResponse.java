package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Client to server: answer a {@code server_question}. The reference server rejects it with {@code Unknown message type: peer_response}.
 *
 * @param questionId the question answered
 * @param response the answer
 */
public record PeerResponse(
        String questionId,
        JsonValue response) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "peer_response";

    @Override
    public String type() {
        return TYPE;
    }
}
