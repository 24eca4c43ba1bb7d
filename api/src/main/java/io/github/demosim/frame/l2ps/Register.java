package io.github.demosim.frame.l2ps;

import java.util.List;

/**
 * Client to server: bind this connection to an Ed25519 public key in an L2PS network ({@code l2ps.md} §5.1). The proof is the hex Ed25519 signature of {@code register:<publicKey>:<timestamp>}.
 *
 * @param publicKey the Ed25519 public key, 64 hex characters
 * @param l2psUid the L2PS network uid
 * @param proof hex signature of the proof string
 * @param kemPublicKey extension (key directory): the registrant's ML-KEM-768 public key in base64, or {@code null}
 * @param features extension: the protocol extensions the client asks for (e.g. {@code ack}); empty for reference clients
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record Register(
        String publicKey,
        String l2psUid,
        String proof,
        String kemPublicKey,
        List<String> features,
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "register";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the frame.
     *
     * @param publicKey the Ed25519 public key, 64 hex characters
     * @param l2psUid the L2PS network uid
     * @param proof hex signature of the proof string
     * @param kemPublicKey extension (key directory): the registrant's ML-KEM-768 public key in base64, or {@code null}
     * @param features extension: the protocol extensions the client asks for (e.g. {@code ack}); empty for reference clients
     * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
     * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
     */
    public Register {
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }
}
