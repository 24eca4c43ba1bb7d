package io.github.demosim.frame.legacy;

/**
 * Server to client: a request failed ({@code legacy-and-crypto.md} §A.7).
 *
 * @param errorType the error type, e.g. {@code PEER_NOT_FOUND}
 * @param details the text
 * @param timestamp ISO-8601 UTC with milliseconds
 */
public record ErrorFrame(
        String errorType,
        String details,
        String timestamp) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "error";

    @Override
    public String type() {
        return TYPE;
    }
}
