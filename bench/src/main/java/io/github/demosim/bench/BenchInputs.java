package io.github.demosim.bench;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;

/**
 * The inputs every benchmark and the TypeScript side ({@code bench/ts/crypto-bench.mjs}) share, defined by
 * formulas both languages can repeat: a ratio compares the same work only if the bytes are the same.
 */
final class BenchInputs {
    /** The timestamp of the L2PS register proof that the Ed25519 benchmarks sign. */
    static final long PROOF_TIMESTAMP = 1_764_000_000_000L;

    private BenchInputs() {
    }

    /**
     * The master seed of the benchmark identity: bytes 0, 1, …, 127.
     *
     * @return a fresh copy
     */
    static byte[] masterSeed() {
        byte[] seed = new byte[128];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) i;
        }
        return seed;
    }

    /**
     * The identity of the master seed.
     *
     * @param provider the crypto provider
     * @return the identity
     */
    static Identity identity(CryptoProvider provider) {
        return Identity.fromMasterSeed(masterSeed(), provider);
    }

    /**
     * A plaintext of {@code size} bytes: byte {@code i} is {@code i mod 251}.
     *
     * @param size bytes
     * @return the plaintext
     */
    static byte[] plaintext(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    /**
     * The 89-byte L2PS register proof string of {@code identity}, as the Ed25519 benchmarks sign it.
     *
     * @param identity the signer
     * @return UTF-8 bytes of {@code register:<ed25519 public key hex>:<PROOF_TIMESTAMP>}
     */
    static byte[] registerProofMessage(Identity identity) {
        return DemosCrypto.registerProofMessage(identity.ed25519PublicKeyHex(), PROOF_TIMESTAMP)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A chat line of exactly {@code size} UTF-8 bytes that starts with {@code prefix}, for end-to-end messages.
     *
     * @param prefix what the recipient reads back (e.g. a sequence number)
     * @param size total length, at least the prefix's
     * @return the text
     */
    static String chatLine(String prefix, int size) {
        StringBuilder text = new StringBuilder(size).append(prefix);
        while (text.length() < size) {
            text.append((char) ('a' + text.length() % 26));
        }
        return text.toString();
    }
}
