package io.github.demosim.frame.legacy;

/**
 * The SDK's SerializedSignedObject ({@code legacy-and-crypto.md} §B.6): the legacy registration proof.
 *
 * @param algorithm {@code ml-dsa} (also {@code ed25519}, {@code falcon} on the reference)
 * @param serializedSignedData base64 of the signature (3309 bytes for ML-DSA-65)
 * @param serializedPublicKey base64 of the signer's public key (1952 bytes for ML-DSA-65)
 * @param serializedMessage base64 of the signed message: the registered ML-KEM-768 public key
 */
public record SignedObject(String algorithm, String serializedSignedData, String serializedPublicKey,
        String serializedMessage) {
}
