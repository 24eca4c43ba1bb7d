package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Client to server: ask the server for a {@code server_question} (a debugging aid of the reference).
 *
 * @param payload any non-empty value; the SDK sends {@code {}}
 */
public record DebugQuestion(
        JsonValue payload) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "debug_question";

    @Override
    public String type() {
        return TYPE;
    }
}
