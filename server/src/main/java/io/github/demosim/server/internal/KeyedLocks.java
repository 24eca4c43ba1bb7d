package io.github.demosim.server.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key. A send locks its recipient and a registration its own key, so a message is either
 * seen online by the send or stored before the registration reads the offline queue, never neither.
 *
 * <p>A stripe is held only while deciding and storing (registry and database work), never while waiting on a
 * socket: {@code Connection.send} only queues a frame and returns a future, a registration's offline drain starts
 * after the lock is released ({@code L2psDelivery.Drain#start}), and a hardened live send's answer waits for the
 * recipient's write in {@code L2psDelivery.answerWhenWritten}, on the write's own completion, with no lock held.
 * So keys that share a stripe wait for each other's database work at most.
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
