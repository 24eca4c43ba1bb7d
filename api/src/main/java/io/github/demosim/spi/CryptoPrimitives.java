package io.github.demosim.spi;

/**
 * The primitives, on raw byte arrays in the standard encodings (FIPS 203/204, RFC 8032, SP 800-38D,
 * RFC 5869). Arrays passed in are not modified or retained; arrays returned are fresh.
 *
 * <p>Every failure is an {@link io.github.demosim.CryptoException}; no provider exception escapes.
 */
public interface CryptoPrimitives {

    /** ML-KEM-768 public key length, 1184 bytes. */
    int ML_KEM_768_PUBLIC_KEY_BYTES = 1184;
    /** ML-KEM-768 secret key length, 2400 bytes. */
    int ML_KEM_768_SECRET_KEY_BYTES = 2400;
    /** ML-KEM-768 ciphertext length, 1088 bytes. */
    int ML_KEM_768_CIPHERTEXT_BYTES = 1088;
    /** ML-DSA-65 public key length, 1952 bytes. */
    int ML_DSA_65_PUBLIC_KEY_BYTES = 1952;
    /** ML-DSA-65 secret key length, 4032 bytes. */
    int ML_DSA_65_SECRET_KEY_BYTES = 4032;
    /** ML-DSA-65 signature length, 3309 bytes. */
    int ML_DSA_65_SIGNATURE_BYTES = 3309;

    /**
     * ML-KEM-768 KeyGen from the 64-byte seed {@code d ‖ z}.
     *
     * @param seed64 the seed
     * @return the key pair (1184-byte public, 2400-byte secret)
     */
    KeyPair mlKem768KeyPair(byte[] seed64);

    /**
     * ML-KEM-768 Encaps with fresh randomness.
     *
     * @param publicKey the 1184-byte encapsulation key
     * @return the 1088-byte ciphertext and the 32-byte shared secret
     */
    Encapsulation mlKem768Encapsulate(byte[] publicKey);

    /**
     * ML-KEM-768 Decaps (implicit rejection: a bad ciphertext yields an unrelated secret).
     *
     * @param secretKey the 2400-byte decapsulation key
     * @param ciphertext the 1088-byte ciphertext
     * @return the 32-byte shared secret
     */
    byte[] mlKem768Decapsulate(byte[] secretKey, byte[] ciphertext);

    /**
     * ML-DSA-65 KeyGen from the 32-byte seed ξ.
     *
     * @param seed32 the seed
     * @return the key pair (1952-byte public, 4032-byte secret)
     */
    KeyPair mlDsa65KeyPair(byte[] seed32);

    /**
     * ML-DSA-65 deterministic pure signing with an empty context.
     *
     * @param secretKey the 4032-byte secret key
     * @param message the message
     * @return the 3309-byte signature
     */
    byte[] mlDsa65Sign(byte[] secretKey, byte[] message);

    /**
     * ML-DSA-65 pure verification with an empty context.
     *
     * @param publicKey the 1952-byte public key
     * @param message the message
     * @param signature the signature; a wrong length verifies {@code false}
     * @return whether the signature is valid
     */
    boolean mlDsa65Verify(byte[] publicKey, byte[] message, byte[] signature);

    /**
     * Returns the Ed25519 public key of a 32-byte RFC 8032 private seed.
     *
     * @param seed32 the private seed
     * @return the 32-byte public key
     */
    byte[] ed25519PublicKey(byte[] seed32);

    /**
     * Ed25519 (pure, RFC 8032) signing.
     *
     * @param seed32 the private seed
     * @param message the message
     * @return the 64-byte signature
     */
    byte[] ed25519Sign(byte[] seed32, byte[] message);

    /**
     * Ed25519 verification.
     *
     * @param publicKey the 32-byte public key
     * @param message the message
     * @param signature the signature; a wrong length verifies {@code false}
     * @return whether the signature is valid
     */
    boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature);

    /**
     * AES-256-GCM encryption with a 16-byte tag and no associated data.
     *
     * @param key the 32-byte key
     * @param iv the 12-byte IV
     * @param plaintext the plaintext
     * @return {@code body ‖ tag}
     */
    byte[] aesGcmEncrypt(byte[] key, byte[] iv, byte[] plaintext);

    /**
     * AES-256-GCM decryption.
     *
     * @param key the 32-byte key
     * @param iv the 12-byte IV
     * @param bodyAndTag {@code body ‖ tag}
     * @return the plaintext
     * @throws io.github.demosim.CryptoException with {@code CRYPTO_DECRYPT_FAILED} if the tag does not verify
     */
    byte[] aesGcmDecrypt(byte[] key, byte[] iv, byte[] bodyAndTag);

    /**
     * HKDF-SHA256 (RFC 5869).
     *
     * @param ikm input keying material
     * @param salt the salt
     * @param info the info
     * @param length output length in bytes
     * @return the output keying material
     */
    byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length);

    /**
     * SHA-256.
     *
     * @param data the input
     * @return the 32-byte digest
     */
    byte[] sha256(byte[] data);

    /**
     * SHA3-512.
     *
     * @param data the input
     * @return the 64-byte digest
     */
    byte[] sha3_512(byte[] data);

    /**
     * PBKDF2 with HMAC-SHA512 (for BIP-39 seeds).
     *
     * @param password the password bytes
     * @param salt the salt
     * @param iterations the iteration count
     * @param length output length in bytes
     * @return the derived key
     */
    byte[] pbkdf2HmacSha512(byte[] password, byte[] salt, int iterations, int length);

    /**
     * Returns {@code n} random bytes from this instance's source of randomness.
     *
     * @param n how many
     * @return fresh random bytes
     */
    byte[] randomBytes(int n);

    /**
     * A key pair in standard encodings.
     *
     * @param publicKey the public key
     * @param secretKey the secret key
     */
    record KeyPair(byte[] publicKey, byte[] secretKey) {
    }

    /**
     * The result of a KEM encapsulation.
     *
     * @param ciphertext the KEM ciphertext
     * @param sharedSecret the shared secret
     */
    record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {
    }
}
