package io.github.demosim.frame.legacy;

import io.github.demosim.Bytes;

/**
 * Client to server: register a client id with an ML-KEM-768 public key and an ML-DSA-65 proof ({@code legacy-and-crypto.md} §A.5).
 *
 * @param clientId the id peers address this client by
 * @param publicKey the ML-KEM-768 public key (1184 bytes), a JSON array of numbers on the wire
 * @param verification the ML-DSA-65 signature over the public key, or {@code null} (the dead SDK {@code register()} variant)
 * @param features extension: the client extensions this client supports, e.g. {@code envelope}; a server that relays
 *     them tells peers who look up this client's key (the reference ignores the member); empty for reference clients
 */
public record Register(
        String clientId,
        Bytes publicKey,
        SignedObject verification,
        java.util.List<String> features) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "register";

    /**
     * Creates the frame.
     *
     * @param clientId the id
     * @param publicKey the ML-KEM-768 public key
     * @param verification the proof, or {@code null}
     * @param features the client extensions; {@code null} reads as empty
     */
    public Register {
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }

    /**
     * Creates the frame as the TypeScript SDK sends it, without extensions.
     *
     * @param clientId the id
     * @param publicKey the ML-KEM-768 public key
     * @param verification the proof, or {@code null}
     */
    public Register(String clientId, Bytes publicKey, SignedObject verification) {
        this(clientId, publicKey, verification, java.util.List.of());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
