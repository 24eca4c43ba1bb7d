package io.github.demosim.internal.primitives;

import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.spi.CryptoPrimitives;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The argument checks and error texts of {@link CryptoPrimitives}, for this project's crypto providers
 * ({@code bouncycastle}, {@code jdk}): what a caller did wrong reads the same whichever provider runs, and a
 * provider's own code is only its library's work. Lengths first, with the expected and the actual length; what a
 * library still throws becomes {@link #failure}.
 */
public final class PrimitiveChecks {
    /** ML-KEM-768 key-generation seed {@code d ‖ z}, bytes. */
    public static final int ML_KEM_SEED_BYTES = 64;
    /** ML-DSA-65 key-generation seed ξ, bytes. */
    public static final int ML_DSA_SEED_BYTES = 32;
    /** Ed25519 private seed and public key, bytes. */
    public static final int ED25519_KEY_BYTES = 32;
    /** Ed25519 signature, bytes. */
    public static final int ED25519_SIGNATURE_BYTES = 64;
    /** AES-256 key, bytes. */
    public static final int AES_KEY_BYTES = 32;
    /** AES-GCM IV, bytes. */
    public static final int GCM_IV_BYTES = 12;
    /** AES-GCM tag, bytes. */
    public static final int GCM_TAG_BYTES = 16;
    /** The longest HKDF-SHA256 output (RFC 5869: 255 hash lengths), bytes. */
    public static final int MAX_HKDF_SHA256_BYTES = 255 * 32;

    private PrimitiveChecks() {
    }

    /**
     * Checks a fixed-length input.
     *
     * @param what the input's name in the error text, e.g. {@code "AES-256 key"}
     * @param value the input
     * @param expected its length in bytes
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws CryptoException ({@code CRYPTO_INVALID_INPUT}) if its length is another
     */
    public static void requireLength(String what, byte[] value, int expected) {
        Objects.requireNonNull(value, what);
        if (value.length != expected) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The " + what + " must be " + expected
                    + " bytes, got " + value.length + ".");
        }
    }

    /** Checks {@code mlKem768KeyPair}'s seed. @param seed64 the seed */
    public static void mlKemKeyPair(byte[] seed64) {
        requireLength("ML-KEM-768 key-generation seed (d ‖ z)", seed64, ML_KEM_SEED_BYTES);
    }

    /** Checks {@code mlKem768Encapsulate}'s key. @param publicKey the key */
    public static void mlKemEncapsulate(byte[] publicKey) {
        requireLength("ML-KEM-768 encapsulation (public) key", publicKey,
                CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES);
    }

    /**
     * Checks {@code mlKem768Decapsulate}'s arguments.
     *
     * @param secretKey the key
     * @param ciphertext the ciphertext
     */
    public static void mlKemDecapsulate(byte[] secretKey, byte[] ciphertext) {
        requireLength("ML-KEM-768 decapsulation (secret) key", secretKey,
                CryptoPrimitives.ML_KEM_768_SECRET_KEY_BYTES);
        requireLength("ML-KEM-768 ciphertext", ciphertext, CryptoPrimitives.ML_KEM_768_CIPHERTEXT_BYTES);
    }

    /** Checks {@code mlDsa65KeyPair}'s seed. @param seed32 the seed */
    public static void mlDsaKeyPair(byte[] seed32) {
        requireLength("ML-DSA-65 key-generation seed", seed32, ML_DSA_SEED_BYTES);
    }

    /**
     * Checks {@code mlDsa65Sign}'s arguments.
     *
     * @param secretKey the key
     * @param message the message
     */
    public static void mlDsaSign(byte[] secretKey, byte[] message) {
        requireLength("ML-DSA-65 secret key", secretKey, CryptoPrimitives.ML_DSA_65_SECRET_KEY_BYTES);
        Objects.requireNonNull(message, "message");
    }

    /**
     * Checks {@code mlDsa65Verify}'s arguments.
     *
     * @param publicKey the key
     * @param message the message
     * @param signature the signature
     * @return whether the signature has the length of one; if not, it verifies as {@code false}
     */
    public static boolean mlDsaVerify(byte[] publicKey, byte[] message, byte[] signature) {
        requireLength("ML-DSA-65 public key", publicKey, CryptoPrimitives.ML_DSA_65_PUBLIC_KEY_BYTES);
        return signatureOfLength(message, signature, CryptoPrimitives.ML_DSA_65_SIGNATURE_BYTES);
    }

    /** Checks {@code ed25519PublicKey}'s seed. @param seed32 the seed */
    public static void ed25519Seed(byte[] seed32) {
        requireLength("Ed25519 private seed", seed32, ED25519_KEY_BYTES);
    }

    /**
     * Checks {@code ed25519Sign}'s arguments.
     *
     * @param seed32 the private seed
     * @param message the message
     */
    public static void ed25519Sign(byte[] seed32, byte[] message) {
        ed25519Seed(seed32);
        Objects.requireNonNull(message, "message");
    }

    /**
     * Checks {@code ed25519Verify}'s arguments.
     *
     * @param publicKey the key
     * @param message the message
     * @param signature the signature
     * @return whether the signature has the length of one; if not, it verifies as {@code false}
     */
    public static boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        requireLength("Ed25519 public key", publicKey, ED25519_KEY_BYTES);
        return signatureOfLength(message, signature, ED25519_SIGNATURE_BYTES);
    }

    private static boolean signatureOfLength(byte[] message, byte[] signature, int length) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return signature.length == length;
    }

    /**
     * Checks {@code aesGcmEncrypt}'s arguments.
     *
     * @param key the key
     * @param iv the IV
     * @param plaintext the plaintext
     */
    public static void aesGcmEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        aesKeyAndIv(key, iv);
        Objects.requireNonNull(plaintext, "plaintext");
    }

    /**
     * Checks {@code aesGcmDecrypt}'s arguments.
     *
     * @param key the key
     * @param iv the IV
     * @param bodyAndTag the ciphertext and tag
     */
    public static void aesGcmDecrypt(byte[] key, byte[] iv, byte[] bodyAndTag) {
        aesKeyAndIv(key, iv);
        Objects.requireNonNull(bodyAndTag, "bodyAndTag");
        if (bodyAndTag.length < GCM_TAG_BYTES) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "AES-GCM ciphertext must hold at least the "
                    + GCM_TAG_BYTES + "-byte tag, got " + bodyAndTag.length + " bytes. The message is truncated.");
        }
    }

    private static void aesKeyAndIv(byte[] key, byte[] iv) {
        requireLength("AES-256 key", key, AES_KEY_BYTES);
        requireLength("AES-GCM IV", iv, GCM_IV_BYTES);
    }

    /**
     * Checks {@code hkdfSha256}'s arguments.
     *
     * @param ikm the input keying material
     * @param salt the salt
     * @param info the info
     * @param length the output length
     */
    public static void hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        Objects.requireNonNull(ikm, "ikm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(info, "info");
        if (length < 1 || length > MAX_HKDF_SHA256_BYTES) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "HKDF-SHA256 output length must be 1.."
                    + MAX_HKDF_SHA256_BYTES + " bytes (RFC 5869), got " + length + ".");
        }
    }

    /**
     * Checks {@code pbkdf2HmacSha512}'s arguments.
     *
     * @param password the password
     * @param salt the salt
     * @param iterations the iteration count
     * @param length the output length
     */
    public static void pbkdf2HmacSha512(byte[] password, byte[] salt, int iterations, int length) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (iterations < 1) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "PBKDF2 iteration count must be at least 1,"
                    + " got " + iterations + ".");
        }
        if (length < 1) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "PBKDF2 output length must be at least 1 byte,"
                    + " got " + length + ".");
        }
    }

    /**
     * {@code CryptoPrimitives.randomBytes}: checks the count and draws.
     *
     * @param random the provider's source
     * @param n how many bytes
     * @param where where a failure of {@code random} happened, for its text
     * @return the bytes
     */
    public static byte[] randomBytes(SecureRandom random, int n, String where) {
        if (n < 0) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "Cannot draw " + n + " random bytes.");
        }
        byte[] out = new byte[n];
        try {
            random.nextBytes(out);
        } catch (RuntimeException e) {
            throw failure("drawing random bytes", where, e);
        }
        return out;
    }

    /**
     * An ML-KEM-768 public key the library refused: not a valid encapsulation key (FIPS 203 §7.2 input check: it
     * does not re-encode to itself, a coefficient is at least q).
     *
     * @param cause what the library threw
     * @return the exception to throw
     */
    public static CryptoException invalidEncapsulationKey(Exception cause) {
        return new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The ML-KEM-768 public key is not a valid "
                + "encapsulation key (" + cause.getMessage() + "). Use the key exactly as the recipient published it.",
                cause);
    }

    /**
     * A secret key of the right length that the library refused to decode.
     *
     * @param algorithm {@code "ML-KEM-768"} or {@code "ML-DSA-65"}
     * @param cause what the library threw
     * @return the exception to throw
     */
    public static CryptoException malformedSecretKey(String algorithm, Exception cause) {
        return new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The " + algorithm + " secret key is malformed ("
                + cause.getMessage() + "). Derive it from the identity's seed again.", cause);
    }

    /**
     * A public key of the right length that the library refused to decode.
     *
     * @param algorithm e.g. {@code "ML-DSA-65"}
     * @param cause what the library threw
     * @return the exception to throw
     */
    public static CryptoException malformedPublicKey(String algorithm, Exception cause) {
        return new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The " + algorithm + " public key is malformed ("
                + cause.getMessage() + ").", cause);
    }

    /**
     * AES-GCM's tag did not verify.
     *
     * @param cause what the library threw
     * @return the exception to throw
     */
    public static CryptoException gcmAuthenticationFailed(Exception cause) {
        return new CryptoException(ErrorCode.CRYPTO_DECRYPT_FAILED, "AES-GCM authentication failed: the "
                + "ciphertext, IV or key is wrong or was tampered with. No plaintext is released.", cause);
    }

    /**
     * What a library threw after the checks passed: a provider fault.
     *
     * @param operation what failed, e.g. {@code "ML-KEM-768 encapsulation"}
     * @param where where, e.g. {@code "inside Bouncy Castle"}
     * @param cause what the library threw
     * @return the exception to throw
     */
    public static CryptoException failure(String operation, String where, Exception cause) {
        return new CryptoException(ErrorCode.CRYPTO_PROVIDER_FAILURE, operation + " failed " + where + ": " + cause
                + ". This is a provider fault; report it with the stack trace.", cause);
    }
}
