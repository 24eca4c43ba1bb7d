package io.github.demosim.server.internal.l2ps;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Server-generated message ids (l2ps.md §5.4 step 2). The reference draws a random UUID v4; hardened mode draws a
 * UUID v7 (RFC 9562: 48 bits of Unix milliseconds, then 74 random bits), the same 36-character text to a client,
 * which treats the id as opaque. Why: the id is a unique key of the messages table and of the bodies table, and
 * a random key sends every insert to a random page of those indexes; H2 rewrites each touched page whole at the
 * next commit, so with v4 ids the commit cost grew with the table (docs/performance.md, issue 16). Time-ordered
 * ids append to the indexes' last pages. The random part comes from a {@link SecureRandom}, as
 * {@link UUID#randomUUID()}'s does: ids stay unguessable.
 */
final class MessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {
    }

    /** A random UUID v4, the reference's id. */
    static String random() {
        return UUID.randomUUID().toString();
    }

    /**
     * A UUID v7 for the given time.
     *
     * @param unixMillis milliseconds since the epoch (the low 48 bits are used)
     * @return the UUID's canonical text
     */
    static String timeOrdered(long unixMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long randB = RANDOM.nextLong();
        long msb = ((unixMillis & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | randA;
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // variant 10
        return new UUID(msb, lsb).toString();
    }
}
