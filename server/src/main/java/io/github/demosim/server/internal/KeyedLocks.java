package io.github.demosim.server.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key. A send locks its recipient and a registration its own key, so a message is either
 * seen online by the send or stored before the registration reads the offline queue, never neither.
 */
public final class KeyedLocks {
    private final ReentrantLock[] stripes;

    /**
     * Creates the stripes.
     *
     * @param count number of stripes
     */
    public KeyedLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * The lock of a key.
     *
     * @param key the key
     * @return its stripe
     */
    public ReentrantLock of(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
