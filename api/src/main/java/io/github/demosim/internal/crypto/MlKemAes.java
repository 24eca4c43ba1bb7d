package io.github.demosim.internal.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.spi.CryptoPrimitives;
import java.util.Objects;

/**
 * The SDK's {@code ml-kem-aes} ({@code legacy-and-crypto.md} §B.5, §C.1 #12): one fresh ML-KEM-768
 * encapsulation per message, the raw 32-byte shared secret used directly as the AES-256-GCM key (no KDF:
 * any "improvement" breaks compatibility), a fresh random 12-byte IV, no associated data.
 */
public final class MlKemAes {

    private MlKemAes() {
    }

    /**
     * Seals {@code plaintext} to a recipient. Draws the encapsulation randomness first, then the IV.
     *
     * @param primitives the primitives (and their randomness)
     * @param recipientPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param plaintext the plaintext
     * @return the sealed message
     */
    public static SealedMessage seal(CryptoPrimitives primitives, Bytes recipientPublicKey, byte[] plaintext) {
        Objects.requireNonNull(recipientPublicKey, "recipientPublicKey");
        Objects.requireNonNull(plaintext, "plaintext");
        if (recipientPublicKey.length() != CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The recipient's ML-KEM-768 public key must be "
                    + CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES + " bytes, got " + recipientPublicKey.length()
                    + ". Use the key the recipient registered (its ML-KEM key, not its Ed25519 or ML-DSA key).");
        }
        CryptoPrimitives.Encapsulation encapsulation = primitives.mlKem768Encapsulate(recipientPublicKey.toByteArray());
        byte[] iv = primitives.randomBytes(SealedMessage.IV_BYTES);
        byte[] bodyAndTag = primitives.aesGcmEncrypt(encapsulation.sharedSecret(), iv, plaintext);
        return new SealedMessage(Bytes.of(encapsulation.ciphertext()), Bytes.of(iv), Bytes.of(bodyAndTag));
    }

    /**
     * Opens a sealed message. A wrong recipient or a tampered KEM ciphertext yields an unrelated key (ML-KEM's
     * implicit rejection), so the AES-GCM tag check fails; no plaintext is ever released unauthenticated.
     *
     * @param primitives the primitives
     * @param mlKemSecretKey the recipient's 2400-byte ML-KEM-768 secret key
     * @param message the message
     * @return the plaintext
     * @throws CryptoException with {@code CRYPTO_DECRYPT_FAILED} if the message does not authenticate
     */
    public static byte[] open(CryptoPrimitives primitives, byte[] mlKemSecretKey, SealedMessage message) {
        Objects.requireNonNull(message, "message");
        byte[] key = primitives.mlKem768Decapsulate(mlKemSecretKey, message.kemCiphertext().toByteArray());
        try {
            return primitives.aesGcmDecrypt(key, message.iv().toByteArray(), message.bodyAndTag().toByteArray());
        } catch (CryptoException e) {
            if (e.code() == ErrorCode.CRYPTO_DECRYPT_FAILED) {
                throw new CryptoException(ErrorCode.CRYPTO_DECRYPT_FAILED, "Cannot open the ml-kem-aes message: it was "
                        + "sealed to another ML-KEM key, or one of its parts was altered in transit.", e);
            }
            throw e;
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }
}
