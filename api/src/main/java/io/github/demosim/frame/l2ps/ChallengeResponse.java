package io.github.demosim.frame.l2ps;

/**
 * Server to client, extension {@code server_challenge}: the nonce the next {@code register} on this connection
 * signs, as {@code register-bound:<publicKey>:<l2psUid>:<timestamp>:<nonce>}, with {@code server_challenge} listed
 * in its {@code features}. Good for one {@code register}.
 *
 * @param nonce random, 64 lowercase hex characters
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record ChallengeResponse(
        String nonce,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "challenge_response";

    @Override
    public String type() {
        return TYPE;
    }
}
