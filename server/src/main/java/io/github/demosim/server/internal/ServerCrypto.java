package io.github.demosim.server.internal;

import io.github.demosim.Bytes;
import io.github.demosim.frame.legacy.SignedObject;

/** The cryptography the server needs, on the installed crypto provider. Thread-safe. */
public interface ServerCrypto {

    /**
     * Verifies an Ed25519 signature over the UTF-8 bytes of a proof string (L2PS register and history proofs).
     *
     * @param publicKey the key bytes
     * @param message the proof string
     * @param signature the signature bytes
     * @return whether the signature is valid
     * @throws RuntimeException with a message saying what is wrong when the key or signature cannot be
     *     used at all (wrong length), which the reference reports as {@code Proof verification error: ...}
     */
    boolean verifyEd25519(byte[] publicKey, String message, byte[] signature);

    /**
     * Verifies a legacy registration proof.
     *
     * @param proof the serialized signed object (canonical base64 fields)
     * @param expectedKemKey the ML-KEM key the proof must sign, or {@code null} to accept any message
     * @return whether the proof is valid
     * @throws RuntimeException when the proof cannot be checked (unknown algorithm, bad lengths)
     */
    boolean verifyLegacyRegistration(SignedObject proof, Bytes expectedKemKey);

    /**
     * SHA-256.
     *
     * @param data input
     * @return 32 bytes
     */
    byte[] sha256(byte[] data);

    /**
     * Ed25519 signature with a 32-byte seed.
     *
     * @param seed the seed
     * @param message the message
     * @return 64 bytes
     */
    byte[] ed25519Sign(byte[] seed, byte[] message);

    /**
     * Secure random bytes.
     *
     * @param n how many
     * @return the bytes
     */
    byte[] randomBytes(int n);
}
