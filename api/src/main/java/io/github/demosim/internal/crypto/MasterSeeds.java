package io.github.demosim.internal.crypto;

import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.spi.CryptoPrimitives;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The master seed the TypeScript SDK's {@code Demos.connectWallet(string)} makes of a string
 * ({@code legacy-and-crypto.md} §B.8, checked against SDK 2.9.1 with {@code @scure/bip39} 2.x):
 * <ol>
 *   <li>trim with JavaScript's {@code String.prototype.trim};</li>
 *   <li>a valid BIP-39 English mnemonic is hashed as text; anything else first goes through
 *       {@code mnemonicToSeedSync}, which <em>throws</em> unless the text has 12, 15, 18, 21 or 24
 *       space-separated words, so such text cannot be a Demos wallet at all;</li>
 *   <li>whenever the trimmed text is not 128 UTF-16 units long, the text itself is hashed again, so only
 *       128-unit non-mnemonics use the PBKDF2 seed;</li>
 *   <li>master seed = the ASCII bytes of the lowercase hex of SHA3-512(what is hashed), 128 bytes.</li>
 * </ol>
 */
public final class MasterSeeds {
    private static final int WALLET_TEXT_LENGTH_USING_PBKDF2 = 128;

    private MasterSeeds() {
    }

    /**
     * Returns the master seed for {@code text}, as {@code connectWallet} computes it.
     *
     * @param text the wallet text (mnemonic, or any other secret the SDK accepts)
     * @param primitives the primitives
     * @return 128 ASCII bytes
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} where {@code connectWallet} throws
     */
    public static byte[] fromWalletText(String text, CryptoPrimitives primitives) {
        String trimmed = jsTrim(text);
        boolean mnemonic = Bip39.invalidReason(trimmed, primitives).isEmpty();
        byte[] hashable;
        if (mnemonic) {
            hashable = trimmed.getBytes(StandardCharsets.UTF_8);
        } else {
            Optional<String> refusal = Bip39.seedRefusal(trimmed);
            if (refusal.isPresent()) {
                throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The TypeScript SDK's connectWallet rejects "
                        + "this wallet text (" + trimmed.length() + " characters): it is not a valid BIP-39 mnemonic, "
                        + "and its BIP-39 seed step refuses it because " + refusal.get() + ". Use a BIP-39 mnemonic, "
                        + "or text of 12, 15, 18, 21 or 24 space-separated words, or Identity.fromMasterSeed(bytes).");
            }
            hashable = trimmed.length() == WALLET_TEXT_LENGTH_USING_PBKDF2
                    ? Bip39.seed(trimmed, primitives)
                    : trimmed.getBytes(StandardCharsets.UTF_8);
        }
        return HexFormat.of().formatHex(primitives.sha3_512(hashable)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Checks that {@code text}, trimmed, is a valid BIP-39 English mnemonic.
     *
     * @param text the mnemonic
     * @param primitives the primitives
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} and the reason if it is not
     */
    public static void requireMnemonic(String text, CryptoPrimitives primitives) {
        Optional<String> reason = Bip39.invalidReason(jsTrim(text), primitives);
        if (reason.isPresent()) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "Not a valid BIP-39 English mnemonic: "
                    + reason.get() + ". Check the words, or use Identity.fromSecretText for other wallet text.");
        }
    }

    /**
     * JavaScript's {@code String.prototype.trim}: strips ECMAScript WhiteSpace and LineTerminator code units,
     * which include U+00A0, U+FEFF and every Zs space, unlike {@link String#strip()}.
     *
     * @param s the text
     * @return the trimmed text
     */
    public static String jsTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isJsWhitespace(char c) {
        switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\uFEFF', '\u2028', '\u2029':
                return true;
            default:
                return Character.getType(c) == Character.SPACE_SEPARATOR;
        }
    }
}
