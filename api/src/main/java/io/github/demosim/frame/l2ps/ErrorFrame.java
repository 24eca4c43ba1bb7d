package io.github.demosim.frame.l2ps;

/**
 * Server to client: a request failed ({@code l2ps.md} §4.3). The socket stays open.
 *
 * @param code the error code, e.g. {@code INVALID_PROOF}
 * @param message the error text, or {@code null} when the server sent none
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record ErrorFrame(
        String code,
        String message,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "error";

    @Override
    public String type() {
        return TYPE;
    }
}
