package io.github.demosim.tck.crypto;

import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that hands out a fixed byte sequence, for known-answer tests of randomized
 * constructions (encapsulation randomness, IVs). It fails loudly when asked for more than it holds, so a test
 * notices when a provider draws randomness in another amount or order. Never use it for real keys.
 */
public final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private int next;

    /**
     * Creates the source.
     *
     * @param bytes every byte it will hand out, in order; copied
     */
    public FixedRandom(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (next + out.length > bytes.length) {
            throw new IllegalStateException("FixedRandom exhausted: asked for " + out.length + " bytes, "
                    + (bytes.length - next) + " left");
        }
        System.arraycopy(bytes, next, out, 0, out.length);
        next += out.length;
    }

    /**
     * Returns how many bytes have not been handed out yet.
     *
     * @return the count
     */
    public synchronized int remaining() {
        return bytes.length - next;
    }

    @Override
    public void setSeed(long seed) {
        // The SecureRandom constructor calls this; the sequence is fixed, so seeds are ignored.
    }

    @Override
    public synchronized void setSeed(byte[] seed) {
        // fixed sequence: ignored
    }
}
