package io.github.demosim.internal.peer;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Request ids in the TypeScript SDK's format, {@code req_<ms>_<10 hex>} ({@code l2ps.md} §2.1), and frame
 * timestamps that never repeat or go back within one peer.
 *
 * <p>Timestamps are strictly increasing because a hardened server accepts each signed proof timestamp only
 * once: two history requests in the same millisecond would otherwise carry the same proof.
 */
public final class RequestIds {
    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();
    private long lastTimestamp;

    /** A fresh request id. */
    public synchronized String next(long now) {
        byte[] b = new byte[5];
        random.nextBytes(b);
        return "req_" + now + "_" + HEX.formatHex(b);
    }

    /** The next frame timestamp: the wall clock, or one more than the last one if the clock has not moved on. */
    public synchronized long timestamp() {
        long now = System.currentTimeMillis();
        lastTimestamp = Math.max(now, lastTimestamp + 1);
        return lastTimestamp;
    }
}
