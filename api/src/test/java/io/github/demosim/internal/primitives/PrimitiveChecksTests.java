package io.github.demosim.internal.primitives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import org.junit.jupiter.api.Test;

/** The texts both crypto providers give for bad arguments (the tck's InputValidationContract runs them on each). */
class PrimitiveChecksTests {

    private static void invalid(Runnable check, String message) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(CryptoException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_INVALID_INPUT);
            assertThat(e.getMessage()).isEqualTo(message + " [IM-CRYPTO-002]");
        });
    }

    @Test
    void lengthsSayWhatWasExpectedAndWhatCame() {
        invalid(() -> PrimitiveChecks.mlKemEncapsulate(new byte[3]),
                "The ML-KEM-768 encapsulation (public) key must be 1184 bytes, got 3.");
        invalid(() -> PrimitiveChecks.aesGcmEncrypt(new byte[32], new byte[16], new byte[0]),
                "The AES-GCM IV must be 12 bytes, got 16.");
        invalid(() -> PrimitiveChecks.aesGcmDecrypt(new byte[32], new byte[12], new byte[15]),
                "AES-GCM ciphertext must hold at least the 16-byte tag, got 15 bytes. The message is truncated.");
        invalid(() -> PrimitiveChecks.hkdfSha256(new byte[0], new byte[0], new byte[0], 8161),
                "HKDF-SHA256 output length must be 1..8160 bytes (RFC 5869), got 8161.");
        invalid(() -> PrimitiveChecks.pbkdf2HmacSha512(new byte[0], new byte[0], 0, 64),
                "PBKDF2 iteration count must be at least 1, got 0.");
        invalid(() -> PrimitiveChecks.randomBytes(new java.security.SecureRandom(), -1, "here"), "Cannot draw -1 random bytes.");
        assertThatThrownBy(() -> PrimitiveChecks.ed25519Sign(new byte[32], null))
                .isInstanceOf(NullPointerException.class).hasMessage("message");
    }

    @Test
    void aSignatureOfTheWrongLengthVerifiesAsFalseRatherThanThrowing() {
        assertThat(PrimitiveChecks.ed25519Verify(new byte[32], new byte[0], new byte[63])).isFalse();
        assertThat(PrimitiveChecks.ed25519Verify(new byte[32], new byte[0], new byte[64])).isTrue();
        assertThat(PrimitiveChecks.mlDsaVerify(new byte[1952], new byte[0], new byte[3308])).isFalse();
    }

    @Test
    void libraryFailuresNameTheOperationAndTheProvider() {
        IllegalStateException cause = new IllegalStateException("boom");
        CryptoException e = PrimitiveChecks.failure("SHA-256", "inside Bouncy Castle", cause);
        assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_PROVIDER_FAILURE);
        assertThat(e.getMessage()).startsWith("SHA-256 failed inside Bouncy Castle: java.lang.IllegalStateException:"
                + " boom. This is a provider fault");
        assertThat(PrimitiveChecks.malformedSecretKey("ML-DSA-65", cause).getMessage())
                .startsWith("The ML-DSA-65 secret key is malformed (boom). Derive it from the identity's seed again.");
    }
}
