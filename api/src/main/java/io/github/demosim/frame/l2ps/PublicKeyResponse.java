package io.github.demosim.frame.l2ps;

/**
 * Server to client: the answer to {@code request_public_key}.
 *
 * @param targetId the key asked about, echoed
 * @param publicKey equal to {@code targetId} when online in the network, else {@code null}
 * @param kemPublicKey extension (key directory): the target's published ML-KEM-768 key in base64, or {@code null}
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record PublicKeyResponse(
        String targetId,
        String publicKey,
        String kemPublicKey,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "public_key_response";

    @Override
    public String type() {
        return TYPE;
    }
}
