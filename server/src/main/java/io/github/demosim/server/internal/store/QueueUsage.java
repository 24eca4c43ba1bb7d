package io.github.demosim.server.internal.store;

/**
 * How much one recipient's offline queue holds.
 *
 * @param messages undelivered messages
 * @param bytes their stored size (keys, hash and body, in UTF-8 bytes)
 */
public record QueueUsage(int messages, long bytes) {

    /**
     * The stored size of a message made of these strings, as the store counts it.
     *
     * @param parts keys, hash, body
     * @return UTF-8 bytes
     */
    public static long sizeOf(String... parts) {
        return Utf8.size(parts);
    }
}
