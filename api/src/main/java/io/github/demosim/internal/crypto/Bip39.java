package io.github.demosim.internal.crypto;

import io.github.demosim.spi.CryptoPrimitives;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BIP-39 English mnemonics as {@code @scure/bip39} (the library the TypeScript SDK calls) checks and stretches
 * them: NFKD, words split on single spaces (so a double space makes an empty, invalid word), 12/15/18/21/24
 * words of the standard list, and the SHA-256 checksum.
 */
public final class Bip39 {
    /** Resource with the standard English list, one word per line (SHA-256 2f5eed53…dbda). */
    static final String WORDLIST_RESOURCE = "bip39-english.txt";
    private static final Set<Integer> WORD_COUNTS = Set.of(12, 15, 18, 21, 24);
    private static final int PBKDF2_ITERATIONS = 2048;
    private static final int SEED_BYTES = 64;
    private static final Map<String, Integer> INDEX = loadIndex();

    private Bip39() {
    }

    /**
     * Checks a mnemonic exactly as {@code validateMnemonic(m, englishWordlist)} does.
     *
     * @param mnemonic the candidate (not trimmed here)
     * @param primitives for the checksum's SHA-256
     * @return empty if valid, else why not
     */
    public static Optional<String> invalidReason(String mnemonic, CryptoPrimitives primitives) {
        if (!isWellFormed(mnemonic)) {
            return Optional.of("it is not well-formed Unicode (it holds an unpaired surrogate)");
        }
        String[] words = nfkd(mnemonic).split(" ", -1);
        if (!WORD_COUNTS.contains(words.length)) {
            return Optional.of("it has " + words.length + " space-separated words; a BIP-39 mnemonic has 12, 15, 18, "
                    + "21 or 24");
        }
        int bits = words.length * 11;
        byte[] packed = new byte[(bits + 7) / 8];
        for (int i = 0; i < words.length; i++) {
            Integer index = INDEX.get(words[i]);
            if (index == null) {
                return Optional.of("word " + (i + 1) + " ('" + words[i] + "') is not in the BIP-39 English wordlist");
            }
            for (int b = 0; b < 11; b++) {
                if ((index >> (10 - b) & 1) != 0) {
                    int bit = i * 11 + b;
                    packed[bit / 8] |= (byte) (0x80 >>> (bit % 8));
                }
            }
        }
        int checksumBits = bits / 33;
        int entropyBytes = (bits - checksumBits) / 8;
        byte[] entropy = java.util.Arrays.copyOf(packed, entropyBytes);
        int expected = (primitives.sha256(entropy)[0] & 0xff) >>> (8 - checksumBits);
        int actual = (packed[entropyBytes] & 0xff) >>> (8 - checksumBits);
        if (expected != actual) {
            return Optional.of("its checksum does not match (a word is wrong or the words are out of order)");
        }
        return Optional.empty();
    }

    /**
     * Returns whether {@code @scure/bip39}'s {@code mnemonicToSeedSync} accepts the text at all: it throws on
     * text that is not well-formed Unicode or does not have 12, 15, 18, 21 or 24 space-separated words,
     * whether or not they are real mnemonic words.
     *
     * @param text the text
     * @return why the library refuses it, or empty if it derives a seed
     */
    public static Optional<String> seedRefusal(String text) {
        if (!isWellFormed(text)) {
            return Optional.of("it is not well-formed Unicode (it holds an unpaired surrogate)");
        }
        int words = nfkd(text).split(" ", -1).length;
        if (!WORD_COUNTS.contains(words)) {
            return Optional.of("it has " + words + " space-separated words, not 12, 15, 18, 21 or 24");
        }
        return Optional.empty();
    }

    /**
     * The BIP-39 seed with an empty passphrase: PBKDF2-HMAC-SHA512(NFKD(text), "mnemonic", 2048, 64).
     *
     * @param text text that {@link #seedRefusal} accepts
     * @param primitives the PBKDF2
     * @return the 64-byte seed
     */
    public static byte[] seed(String text, CryptoPrimitives primitives) {
        return primitives.pbkdf2HmacSha512(nfkd(text).getBytes(StandardCharsets.UTF_8),
                "mnemonic".getBytes(StandardCharsets.UTF_8), PBKDF2_ITERATIONS, SEED_BYTES);
    }

    private static String nfkd(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKD);
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Integer> loadIndex() {
        try (InputStream in = Bip39.class.getResourceAsStream(WORDLIST_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WORDLIST_RESOURCE + " in io.github.demosim");
            }
            String[] words = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            if (words.length != 2048) {
                throw new IllegalStateException(WORDLIST_RESOURCE + " has " + words.length + " words, not 2048");
            }
            Map<String, Integer> index = new HashMap<>(4096);
            for (int i = 0; i < words.length; i++) {
                index.put(words[i], i);
            }
            return Map.copyOf(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WORDLIST_RESOURCE, e);
        }
    }
}
