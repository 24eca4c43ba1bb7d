package io.github.demosim.frame.legacy;

import io.github.demosim.Bytes;

/**
 * Client to server: register a client id with an ML-KEM-768 public key and an ML-DSA-65 proof ({@code legacy-and-crypto.md} §A.5).
 *
 * @param clientId the id peers address this client by
 * @param publicKey the ML-KEM-768 public key (1184 bytes), a JSON array of numbers on the wire
 * @param verification the ML-DSA-65 signature over the public key, or {@code null} (the dead SDK {@code register()} variant)
 */
public record Register(
        String clientId,
        Bytes publicKey,
        SignedObject verification) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "register";

    @Override
    public String type() {
        return TYPE;
    }
}
