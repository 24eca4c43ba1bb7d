package io.github.demosim.internal.primitives;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM on the JCA, as both crypto providers do it (Bouncy Castle's provider too: HotSpot compiles the
 * JDK's AES-GCM to the CPU's AES and carry-less-multiply instructions), with the checks and texts of
 * {@link PrimitiveChecks}.
 */
public final class JcaAesGcm {
    private JcaAesGcm() {
    }

    /**
     * {@code CryptoPrimitives.aesGcmEncrypt}.
     *
     * @param provider the JCA provider, or {@code null} for the first that offers AES/GCM/NoPadding
     * @param key the 32-byte key
     * @param iv the 12-byte IV
     * @param plaintext the plaintext
     * @param where where a library failure happened, for its text (e.g. {@code "inside Bouncy Castle"})
     * @return the ciphertext followed by the 16-byte tag
     */
    public static byte[] encrypt(Provider provider, byte[] key, byte[] iv, byte[] plaintext, String where) {
        PrimitiveChecks.aesGcmEncrypt(key, iv, plaintext);
        try {
            return cipher(provider, Cipher.ENCRYPT_MODE, key, iv).doFinal(plaintext);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw PrimitiveChecks.failure("AES-256-GCM encryption", where, e);
        }
    }

    /**
     * {@code CryptoPrimitives.aesGcmDecrypt}: no plaintext unless the tag verifies.
     *
     * @param provider the JCA provider, or {@code null} for the first that offers AES/GCM/NoPadding
     * @param key the 32-byte key
     * @param iv the 12-byte IV
     * @param bodyAndTag the ciphertext followed by the tag
     * @param where where a library failure happened, for its text
     * @return the plaintext
     */
    public static byte[] decrypt(Provider provider, byte[] key, byte[] iv, byte[] bodyAndTag, String where) {
        PrimitiveChecks.aesGcmDecrypt(key, iv, bodyAndTag);
        try {
            return cipher(provider, Cipher.DECRYPT_MODE, key, iv).doFinal(bodyAndTag);
        } catch (AEADBadTagException e) {
            throw PrimitiveChecks.gcmAuthenticationFailed(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw PrimitiveChecks.failure("AES-256-GCM decryption", where, e);
        }
    }

    private static Cipher cipher(Provider provider, int mode, byte[] key, byte[] iv)
            throws GeneralSecurityException {
        Cipher cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(PrimitiveChecks.GCM_TAG_BYTES * 8, iv));
        return cipher;
    }
}
