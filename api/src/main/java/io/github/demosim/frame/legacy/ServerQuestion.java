package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Server to client: a question, sent in reply to {@code debug_question}.
 *
 * @param questionId a UUID
 * @param question the question, {@code {"text": …}}
 */
public record ServerQuestion(
        String questionId,
        JsonValue question) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "server_question";

    @Override
    public String type() {
        return TYPE;
    }
}
