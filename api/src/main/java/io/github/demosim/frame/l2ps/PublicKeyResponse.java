package io.github.demosim.frame.l2ps;

/**
 * Server to client: the answer to {@code request_public_key}.
 *
 * @param targetId the key asked about, echoed
 * @param publicKey equal to {@code targetId} when online in the network, else {@code null}
 * @param kemPublicKey extension (key directory): the target's published ML-KEM-768 key in base64, or {@code null}
 * @param features extension (key directory): the client extensions the target published with its key, e.g.
 *     {@code envelope} (it reads signed envelopes); empty when none or when the server does not say
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record PublicKeyResponse(
        String targetId,
        String publicKey,
        String kemPublicKey,
        java.util.List<String> features,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "public_key_response";

    /**
     * Creates the frame.
     *
     * @param targetId the key asked about
     * @param publicKey the key when online, else {@code null}
     * @param kemPublicKey the published ML-KEM key, or {@code null}
     * @param features the target's published client extensions; {@code null} reads as empty
     * @param timestamp the envelope timestamp, or {@code null}
     * @param requestId the correlation id, or {@code null}
     */
    public PublicKeyResponse {
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }

    /**
     * Creates the frame without published client extensions.
     *
     * @param targetId the key asked about
     * @param publicKey the key when online, else {@code null}
     * @param kemPublicKey the published ML-KEM key, or {@code null}
     * @param timestamp the envelope timestamp, or {@code null}
     * @param requestId the correlation id, or {@code null}
     */
    public PublicKeyResponse(String targetId, String publicKey, String kemPublicKey, Long timestamp, String requestId) {
        this(targetId, publicKey, kemPublicKey, java.util.List.of(), timestamp, requestId);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
