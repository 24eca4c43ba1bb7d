package io.github.demosim.frame.l2ps;

/**
 * Client to server, extension {@code ack}: the message with this hash was handed to the application. A reference server rejects it with {@code Unknown type: ack}; clients send it only when the server advertises {@code ack}.
 *
 * @param messageHash the hash of the message being acknowledged
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Ack(
        String messageHash,
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "ack";

    @Override
    public String type() {
        return TYPE;
    }
}
