package io.github.demosim.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.spi.CryptoPrimitives;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One message sealed with {@code ml-kem-aes} ({@code legacy-and-crypto.md} §B.5): the ML-KEM-768 ciphertext
 * that carries the AES-256 key to the recipient, the 12-byte AES-GCM IV, and the AES-GCM output
 * {@code body ‖ tag(16)}.
 *
 * <p>It travels in one of two wire forms, both made and read here:
 * <ul>
 *   <li>legacy ({@link #toEncryptedObject()}): the SDK's SerializedEncryptedObject, {@code algorithm}
 *       {@code "ml-kem-aes"}, {@code serializedCipherText} = base64(KEM ciphertext),
 *       {@code serializedEncryptedData} = base64(iv ‖ body ‖ tag);</li>
 *   <li>L2PS ({@link #toL2psEncrypted()}): {@code ciphertext} = base64(body ‖ tag), {@code nonce} =
 *       base64(iv), {@code ephemeralKey} = lowercase hex of the KEM ciphertext.</li>
 * </ul>
 * Base64 is standard with padding; reading accepts missing padding and ASCII whitespace, as the SDK's
 * {@code atob} does. Instances are immutable and thread-safe.
 *
 * @param kemCiphertext the ML-KEM-768 ciphertext, 1088 bytes
 * @param iv the AES-GCM IV, 12 bytes
 * @param bodyAndTag the AES-256-GCM ciphertext followed by its 16-byte tag
 */
public record SealedMessage(Bytes kemCiphertext, Bytes iv, Bytes bodyAndTag) {
    /** The algorithm name the SDK writes in a SerializedEncryptedObject. */
    public static final String ALGORITHM = "ml-kem-aes";
    /** IV length, 12 bytes. */
    public static final int IV_BYTES = 12;
    /** AES-GCM tag length, 16 bytes. */
    public static final int TAG_BYTES = 16;

    /**
     * Checks the lengths.
     *
     * @param kemCiphertext the ML-KEM-768 ciphertext, 1088 bytes
     * @param iv the AES-GCM IV, 12 bytes
     * @param bodyAndTag at least the 16-byte tag
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} if a length is wrong
     * @throws NullPointerException if an argument is {@code null}
     */
    public SealedMessage {
        Objects.requireNonNull(kemCiphertext, "kemCiphertext");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(bodyAndTag, "bodyAndTag");
        if (kemCiphertext.length() != CryptoPrimitives.ML_KEM_768_CIPHERTEXT_BYTES) {
            throw invalid("the ML-KEM-768 ciphertext must be " + CryptoPrimitives.ML_KEM_768_CIPHERTEXT_BYTES
                    + " bytes, got " + kemCiphertext.length());
        }
        if (iv.length() != IV_BYTES) {
            throw invalid("the AES-GCM IV must be " + IV_BYTES + " bytes, got " + iv.length());
        }
        if (bodyAndTag.length() < TAG_BYTES) {
            throw invalid("the AES-GCM ciphertext must hold at least the " + TAG_BYTES + "-byte tag, got "
                    + bodyAndTag.length() + " bytes");
        }
    }

    /**
     * Returns the legacy {@code encryptedData}: {@code iv ‖ body ‖ tag}.
     *
     * @return a new value of {@code 28 + plaintext length} bytes
     */
    public Bytes encryptedData() {
        return Bytes.of(encryptedDataArray());
    }

    /**
     * Returns the length of the plaintext this message decrypts to.
     *
     * @return {@code bodyAndTag().length() - 16}
     */
    public int plaintextLength() {
        return bodyAndTag.length() - TAG_BYTES;
    }

    /**
     * Returns the legacy wire form, as the SDK's {@code MessagingPeer.sendMessage} writes it.
     *
     * @return {@code {algorithm:"ml-kem-aes", serializedCipherText, serializedEncryptedData}}
     */
    public EncryptedObject toEncryptedObject() {
        return new EncryptedObject(ALGORITHM, kemCiphertext.toBase64(),
                Base64.getEncoder().encodeToString(encryptedDataArray()));
    }

    /**
     * Reads the legacy wire form.
     *
     * @param object a SerializedEncryptedObject
     * @return the message
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} and the reason if the algorithm is not
     *     {@code ml-kem-aes}, a field is missing or not base64, or a length is wrong
     */
    public static SealedMessage fromEncryptedObject(EncryptedObject object) {
        Objects.requireNonNull(object, "object");
        if (!ALGORITHM.equals(object.algorithm())) {
            throw invalid("the encrypted object's algorithm is '" + object.algorithm() + "', expected '" + ALGORITHM + "'");
        }
        if (object.serializedCipherText() == null) {
            throw invalid("the encrypted object has no serializedCipherText (the ML-KEM-768 ciphertext)");
        }
        if (object.serializedEncryptedData() == null) {
            throw invalid("the encrypted object has no serializedEncryptedData");
        }
        Bytes ct = base64("serializedCipherText", object.serializedCipherText());
        Bytes data = base64("serializedEncryptedData", object.serializedEncryptedData());
        if (data.length() < IV_BYTES + TAG_BYTES) {
            throw invalid("serializedEncryptedData decodes to " + data.length() + " bytes; ml-kem-aes needs at least "
                    + (IV_BYTES + TAG_BYTES) + " (12-byte IV and 16-byte tag)");
        }
        byte[] raw = data.toByteArray();
        return new SealedMessage(ct, Bytes.of(java.util.Arrays.copyOfRange(raw, 0, IV_BYTES)),
                Bytes.of(java.util.Arrays.copyOfRange(raw, IV_BYTES, raw.length)));
    }

    /**
     * Returns the L2PS wire form of the {@code encrypted} object of {@code send} and {@code message} frames.
     *
     * @return {@code {ciphertext: base64(body ‖ tag), nonce: base64(iv), ephemeralKey: hex(kem ciphertext)}}
     */
    public Encrypted toL2psEncrypted() {
        return Encrypted.of(bodyAndTag.toBase64(), iv.toBase64(), kemCiphertext.toHex());
    }

    /**
     * Reads the L2PS wire form. Extra members of the object are ignored.
     *
     * @param encrypted the {@code encrypted} object
     * @return the message
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} and the reason if {@code ephemeralKey} is
     *     missing or not hex, {@code nonce} or {@code ciphertext} is not base64, or a length is wrong
     */
    public static SealedMessage fromL2psEncrypted(Encrypted encrypted) {
        Objects.requireNonNull(encrypted, "encrypted");
        if (encrypted.ephemeralKey() == null) {
            throw invalid("the encrypted object has no ephemeralKey, so it was not sealed with ml-kem-aes");
        }
        Bytes ct;
        try {
            ct = Bytes.of(HexFormat.of().parseHex(encrypted.ephemeralKey()));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "Malformed ml-kem-aes message: ephemeralKey is "
                    + "not hexadecimal (" + e.getMessage() + ").", e);
        }
        return new SealedMessage(ct, base64("nonce", encrypted.nonce()), base64("ciphertext", encrypted.ciphertext()));
    }

    private byte[] encryptedDataArray() {
        byte[] out = new byte[IV_BYTES + bodyAndTag.length()];
        System.arraycopy(iv.toByteArray(), 0, out, 0, IV_BYTES);
        System.arraycopy(bodyAndTag.toByteArray(), 0, out, IV_BYTES, bodyAndTag.length());
        return out;
    }

    private static Bytes base64(String field, String text) {
        try {
            return Bytes.fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "Malformed ml-kem-aes message: " + field
                    + " is not base64 (" + e.getMessage() + ").", e);
        }
    }

    private static CryptoException invalid(String reason) {
        return new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "Malformed ml-kem-aes message: " + reason + ".");
    }
}
