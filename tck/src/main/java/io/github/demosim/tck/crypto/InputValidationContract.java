package io.github.demosim.tck.crypto;

import static io.github.demosim.tck.crypto.Support.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.util.Base64;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Bad input never yields plaintext and never lets a library exception escape: wrong lengths and malformed
 * encodings are {@link CryptoException}s with {@code CRYPTO_INVALID_INPUT} that name the expected and the
 * actual length; verification of garbage is {@code false} (§C.2 #9).
 */
public interface InputValidationContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    CryptoProvider provider();

    @Property(tries = 100)
    @Label("seal rejects public keys that are not 1184 bytes, saying so")
    default void sealRejectsWrongLengthKeys(@ForAll @IntRange(min = 0, max = 4000) int length) {
        if (length == 1184) {
            return;
        }
        DemosCrypto crypto = CryptoFixtures.of(provider()).crypto();
        assertInvalid(() -> crypto.seal(Bytes.of(new byte[length]), new byte[1]), "1184", "got " + length);
    }

    @Property(tries = 100)
    @Label("sealed messages with a KEM ciphertext other than 1088 bytes or an IV other than 12 are rejected")
    default void sealedMessageRejectsWrongLengths(@ForAll @IntRange(min = 0, max = 2200) int length) {
        Bytes iv = Bytes.of(new byte[12]);
        Bytes tag = Bytes.of(new byte[16]);
        if (length != 1088) {
            assertInvalid(() -> new SealedMessage(Bytes.of(new byte[length]), iv, tag), "1088", "got " + length);
        }
        if (length != 12) {
            assertInvalid(() -> new SealedMessage(Bytes.of(new byte[1088]), Bytes.of(new byte[length]), tag),
                    "12 bytes", "got " + length);
        }
        if (length < 16) {
            assertInvalid(() -> new SealedMessage(Bytes.of(new byte[1088]), iv, Bytes.of(new byte[length])),
                    "16-byte tag", "got " + length);
        }
    }

    @Property(tries = 60)
    @Label("legacy encryptedData shorter than 28 bytes or a KEM ciphertext of the wrong size is rejected")
    default void legacyFormRejectsTruncatedOrOversized(@ForAll @IntRange(min = 0, max = 2200) int length) {
        String ct1088 = base64(new byte[1088]);
        if (length < 28) {
            assertInvalid(() -> SealedMessage.fromEncryptedObject(
                    new EncryptedObject("ml-kem-aes", ct1088, base64(new byte[length]))), "at least 28", length + " bytes");
        }
        if (length != 1088) {
            assertInvalid(() -> SealedMessage.fromEncryptedObject(
                    new EncryptedObject("ml-kem-aes", base64(new byte[length]), base64(new byte[28]))), "1088");
        }
    }

    @Example
    @Label("malformed wire forms are rejected with the reason")
    default void malformedWireFormsAreRejected() {
        String ct = base64(new byte[1088]);
        String data = base64(new byte[40]);
        assertInvalid(() -> SealedMessage.fromEncryptedObject(new EncryptedObject("rsa", ct, data)), "'rsa'");
        assertInvalid(() -> SealedMessage.fromEncryptedObject(new EncryptedObject("ml-kem-aes", null, data)),
                "no serializedCipherText");
        assertInvalid(() -> SealedMessage.fromEncryptedObject(new EncryptedObject("ml-kem-aes", "*not*base64*", data)),
                "serializedCipherText is not base64");
        assertInvalid(() -> SealedMessage.fromEncryptedObject(new EncryptedObject("ml-kem-aes", ct, "%%%")),
                "serializedEncryptedData is not base64");

        String hex = Bytes.of(new byte[1088]).toHex();
        String nonce = base64(new byte[12]);
        String body = base64(new byte[20]);
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(body, nonce, null)), "no ephemeralKey");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(body, nonce, hex.substring(1))),
                "ephemeralKey is not hexadecimal");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(body, nonce, "zz" + hex.substring(2))),
                "ephemeralKey is not hexadecimal");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(body, nonce, hex + "00")), "1088", "got 1089");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(body, base64(new byte[16]), hex)),
                "IV must be 12", "got 16");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of(base64(new byte[15]), nonce, hex)),
                "16-byte tag", "got 15");
        assertInvalid(() -> SealedMessage.fromL2psEncrypted(Encrypted.of("@@@@", nonce, hex)), "ciphertext is not base64");
    }

    @Example
    @Label("a public key that fails the ML-KEM-768 modulus check is rejected")
    default void invalidMlKemKeyIsRejected() {
        DemosCrypto crypto = CryptoFixtures.of(provider()).crypto();
        assertInvalid(() -> crypto.seal(Bytes.of(filled(1184, 0xff)), new byte[1]), "not a valid encapsulation key");
    }

    @Example
    @Label("verification: wrong-length keys are errors, wrong-length signatures are false")
    default void verificationLengths() {
        CryptoFixtures f = CryptoFixtures.of(provider());
        byte[] message = {1, 2, 3};
        Bytes edSignature = Bytes.of(f.alice().signEd25519(message));
        Bytes dsaSignature = Bytes.of(f.alice().signMlDsa(message));
        assertInvalid(() -> f.crypto().verifyEd25519(Bytes.of(new byte[31]), message, edSignature), "32 bytes", "got 31");
        assertInvalid(() -> f.crypto().verifyEd25519(Bytes.of(new byte[33]), message, edSignature), "32 bytes", "got 33");
        assertInvalid(() -> f.crypto().verifyMlDsa(Bytes.of(new byte[1951]), message, dsaSignature), "1952", "got 1951");
        assertThat(f.crypto().verifyEd25519(f.alice().ed25519PublicKey(), message, Bytes.of(new byte[63]))).isFalse();
        assertThat(f.crypto().verifyEd25519(f.alice().ed25519PublicKey(), message, Bytes.of(new byte[65]))).isFalse();
        assertThat(f.crypto().verifyMlDsa(f.alice().mlDsaPublicKey(), message, Bytes.of(new byte[3308]))).isFalse();
        assertThat(f.crypto().verifyMlDsa(f.alice().mlDsaPublicKey(), message, Bytes.of(new byte[3310]))).isFalse();
        assertThat(f.crypto().verifyEd25519(Bytes.of(filled(32, 0xff)), message, edSignature))
                .as("a key that is no curve point").isFalse();
    }

    @Example
    @Label("primitives reject wrong seed, key, IV and ciphertext lengths with expected and actual length")
    default void primitivesRejectWrongLengths() {
        CryptoPrimitives p = provider().create();
        assertInvalid(() -> p.mlKem768KeyPair(new byte[63]), "64 bytes", "got 63");
        assertInvalid(() -> p.mlDsa65KeyPair(new byte[33]), "32 bytes", "got 33");
        assertInvalid(() -> p.ed25519PublicKey(new byte[31]), "32 bytes", "got 31");
        assertInvalid(() -> p.ed25519Sign(new byte[64], new byte[0]), "32 bytes", "got 64");
        assertInvalid(() -> p.mlDsa65Sign(new byte[4031], new byte[0]), "4032", "got 4031");
        assertInvalid(() -> p.mlKem768Encapsulate(new byte[1185]), "1184", "got 1185");
        assertInvalid(() -> p.mlKem768Decapsulate(new byte[2400], new byte[1087]), "1088", "got 1087");
        assertInvalid(() -> p.mlKem768Decapsulate(new byte[2399], new byte[1088]), "2400", "got 2399");
        assertInvalid(() -> p.aesGcmEncrypt(new byte[16], new byte[12], new byte[0]), "32 bytes", "got 16");
        assertInvalid(() -> p.aesGcmDecrypt(new byte[32], new byte[16], new byte[16]), "12 bytes", "got 16");
        assertInvalid(() -> p.aesGcmDecrypt(new byte[32], new byte[12], new byte[15]), "16-byte tag", "got 15");
        assertInvalid(() -> p.hkdfSha256(new byte[1], new byte[0], new byte[0], 0), "1..8160");
        assertInvalid(() -> p.pbkdf2HmacSha512(new byte[1], new byte[1], 0, 64), "at least 1");
        assertThatThrownBy(() -> p.aesGcmDecrypt(new byte[32], new byte[12], new byte[16]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_DECRYPT_FAILED));
    }

    @Example
    @Label("L2PS proof verification is false, never an exception, for garbage")
    default void l2psProofGarbageIsFalse() {
        CryptoFixtures f = CryptoFixtures.of(provider());
        DemosCrypto crypto = f.crypto();
        String key = f.alice().ed25519PublicKeyHex();
        String message = DemosCrypto.registerProofMessage(key, 1L);
        String signature = crypto.signL2psRegisterProof(f.alice(), 1L);
        assertThat(crypto.verifyL2psProof(key, message, signature)).isTrue();
        assertThat(crypto.verifyL2psProof(null, message, signature)).isFalse();
        assertThat(crypto.verifyL2psProof(key, null, signature)).isFalse();
        assertThat(crypto.verifyL2psProof(key, message, null)).isFalse();
        assertThat(crypto.verifyL2psProof(key.substring(1), message, signature)).isFalse();
        assertThat(crypto.verifyL2psProof(key + "0", message, signature)).isFalse();
        assertThat(crypto.verifyL2psProof(key, message, signature.substring(2))).isFalse();
        assertThat(crypto.verifyL2psProof(key, message, signature + "00")).isFalse();
        assertThat(crypto.verifyL2psProof("zz" + key.substring(2), message, signature)).isFalse();
        assertThat(crypto.verifyL2psProof(key, message, "g" + signature.substring(1))).isFalse();
        assertThat(crypto.verifyL2psProof("ff".repeat(32), message, signature)).isFalse();
        assertThat(crypto.verifyL2psProof("", "", "")).isFalse();
    }

    @Example
    @Label("legacy registration proof verification: reference and bound modes, garbage is false")
    default void legacyProofVerification() {
        CryptoFixtures f = CryptoFixtures.of(provider());
        DemosCrypto crypto = f.crypto();
        SignedObject proof = crypto.legacyRegistrationProof(f.alice());
        assertThat(crypto.verifyLegacyRegistrationProof(proof, f.alice().mlKemPublicKey())).isTrue();
        assertThat(crypto.verifyLegacyRegistrationProof(proof, f.bob().mlKemPublicKey()))
                .as("bound mode: the proof signs alice's key, not bob's").isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(proof, null))
                .as("reference mode accepts a valid proof whatever key is registered (§C.1 #1)").isTrue();

        SignedObject otherMessage = new SignedObject("ml-dsa", Bytes.of(f.alice().signMlDsa(new byte[] {7})).toBase64(),
                proof.serializedPublicKey(), Bytes.of(new byte[] {7}).toBase64());
        assertThat(crypto.verifyLegacyRegistrationProof(otherMessage, null)).isTrue();
        assertThat(crypto.verifyLegacyRegistrationProof(otherMessage, f.alice().mlKemPublicKey())).isFalse();

        assertThat(crypto.verifyLegacyRegistrationProof(null, null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ed25519", proof.serializedSignedData(),
                proof.serializedPublicKey(), proof.serializedMessage()), null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ml-dsa", "***", proof.serializedPublicKey(),
                proof.serializedMessage()), null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ml-dsa", proof.serializedSignedData(),
                base64(new byte[100]), proof.serializedMessage()), null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ml-dsa", base64(new byte[10]),
                proof.serializedPublicKey(), proof.serializedMessage()), null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ml-dsa", null, null, null), null)).isFalse();
        assertThat(crypto.verifyLegacyRegistrationProof(new SignedObject("ml-dsa", proof.serializedSignedData(),
                Bytes.of(f.bob().mlDsaPublicKey().toByteArray()).toBase64(), proof.serializedMessage()), null)).isFalse();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void assertInvalid(ThrowingCallable call, String... messageParts) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CryptoException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_INVALID_INPUT);
            assertThat(e.getMessage()).contains(messageParts).endsWith("[IM-CRYPTO-002]");
        });
    }
}
