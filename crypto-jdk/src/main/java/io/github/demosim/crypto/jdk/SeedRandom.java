package io.github.demosim.crypto.jdk;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;

/**
 * A {@link SecureRandom} that hands out exactly the bytes it was given, to drive the JDK's randomized
 * algorithms to their deterministic FIPS forms: ML-KEM-768 and ML-DSA-65 key generation draw their seeds
 * ({@code d}, then {@code z}; {@code ξ}) from the {@code SecureRandom} passed to {@code KeyPairGenerator.initialize},
 * Ed25519 key generation draws its private key, and ML-DSA signing draws {@code rnd}, which is 32 zero bytes
 * in the deterministic variant (FIPS 204, Algorithm 2).
 *
 * <p>Asking for more than it holds throws, and {@link #requireDrained} checks that everything was taken: a JDK
 * that drew its randomness in another amount would then fail loudly instead of producing other keys. Not
 * thread-safe; one instance per operation (except {@link #zeros()}, which keeps no position).
 */
final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    /** Deterministic ML-DSA signing: any number of zero bytes, for any thread. */
    private static final SecureRandom ZEROS = new SecureRandom(new ZeroSpi(), null) {
        private static final long serialVersionUID = 1L;
    };

    private final transient Spi spi;

    private SeedRandom(Spi spi) {
        super(spi, null);
        this.spi = spi;
    }

    /**
     * Creates a source that hands out {@code bytes} (copied), then refuses.
     *
     * @param bytes the bytes
     * @return the source
     */
    static SeedRandom of(byte[] bytes) {
        return new SeedRandom(new Spi(bytes.clone()));
    }

    /**
     * Returns a source of zero bytes, for deterministic ML-DSA signing.
     *
     * @return the shared source
     */
    static SecureRandom zeros() {
        return ZEROS;
    }

    /**
     * Checks that every byte was drawn, then clears them.
     *
     * @param what the operation, for the message
     * @throws IllegalStateException if some were not drawn
     */
    void requireDrained(String what) {
        int left = spi.bytes.length - spi.next;
        Arrays.fill(spi.bytes, (byte) 0);
        if (left != 0) {
            throw new IllegalStateException(what + " drew " + spi.next + " random bytes instead of "
                    + spi.bytes.length + ": this JDK draws its seed differently from JDK 25, so keys from a given "
                    + "seed cannot be reproduced with it");
        }
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private int next;

        Spi(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected void engineNextBytes(byte[] out) {
            if (out.length > bytes.length - next) {
                throw new IllegalStateException("the JDK asked for " + out.length + " random bytes with "
                        + (bytes.length - next) + " of the " + bytes.length + "-byte seed left: this JDK draws its "
                        + "seed differently from JDK 25, so keys from a given seed cannot be reproduced with it");
            }
            System.arraycopy(bytes, next, out, 0, out.length);
            next += out.length;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // the sequence is fixed
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException("a fixed byte sequence generates no seeds");
        }
    }

    private static final class ZeroSpi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineNextBytes(byte[] out) {
            Arrays.fill(out, (byte) 0);
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // always zeros
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException("the zero source generates no seeds");
        }
    }
}
