package io.github.demosim.internal.crypto;

import io.github.demosim.spi.CryptoPrimitives;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The SDK's per-algorithm seeds ({@code legacy-and-crypto.md} §B.2, §B.3):
 * {@code HKDF-SHA256(ikm = master seed, salt = "master seed", info = <algorithm>, L)}, and the Ed25519
 * quirk that turns the 32 HKDF bytes into the RFC 8032 seed.
 */
public final class KeyDerivation {
    /** HKDF info string and output length of the Ed25519 seed. */
    public static final String ED25519 = "ed25519";
    /** HKDF info string of the ML-DSA-65 seed ξ. */
    public static final String ML_DSA = "ml-dsa";
    /** HKDF info string of the ML-KEM-768 seed d ‖ z. */
    public static final String ML_KEM_AES = "ml-kem-aes";

    private static final byte[] SALT = "master seed".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, Integer> LENGTHS =
            Map.of(ED25519, 32, "falcon", 48, ML_DSA, 32, ML_KEM_AES, 64, "rsa", 32);

    private KeyDerivation() {
    }

    /**
     * Returns whether {@code algorithm} is one the SDK derives a seed for.
     *
     * @param algorithm the info string
     * @return whether {@link #seed} accepts it
     */
    public static boolean isKnownAlgorithm(String algorithm) {
        return LENGTHS.containsKey(algorithm);
    }

    /**
     * Derives the seed of one algorithm.
     *
     * @param primitives the HKDF
     * @param masterSeed the master seed
     * @param algorithm {@code ed25519}, {@code falcon}, {@code ml-dsa}, {@code ml-kem-aes} or {@code rsa}
     * @return 32, 48 or 64 bytes
     */
    public static byte[] seed(CryptoPrimitives primitives, byte[] masterSeed, String algorithm) {
        Integer length = LENGTHS.get(algorithm);
        if (length == null) {
            throw new IllegalArgumentException("no seed is derived for algorithm '" + algorithm + "'; known: "
                    + LENGTHS.keySet());
        }
        return primitives.hkdfSha256(masterSeed, SALT, algorithm.getBytes(StandardCharsets.US_ASCII), length);
    }

    /**
     * The SDK's Ed25519 quirk: the RFC 8032 seed is SHA-256 of the ASCII text of the HKDF bytes in decimal,
     * joined by commas (JavaScript's {@code Uint8Array.prototype.toString}), not the HKDF bytes themselves.
     *
     * @param primitives the SHA-256
     * @param hkdfSeed the 32 HKDF bytes for {@code ed25519}
     * @return the 32-byte RFC 8032 private seed
     */
    public static byte[] ed25519Seed(CryptoPrimitives primitives, byte[] hkdfSeed) {
        return primitives.sha256(decimalString(hkdfSeed).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Renders bytes as JavaScript renders a {@code Uint8Array}: unsigned decimals joined by commas.
     *
     * @param bytes the bytes
     * @return e.g. {@code 146,86,224}
     */
    public static String decimalString(byte[] bytes) {
        StringJoiner joined = new StringJoiner(",");
        for (byte b : bytes) {
            joined.add(Integer.toString(b & 0xff));
        }
        return joined.toString();
    }
}
