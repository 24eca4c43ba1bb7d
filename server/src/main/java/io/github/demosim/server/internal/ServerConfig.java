package io.github.demosim.server.internal;

import io.github.demosim.server.ServerLimits;
import io.github.demosim.server.ServerMode;
import io.github.demosim.server.SubmissionPolicy;
import java.time.Duration;
import java.util.Set;

/**
 * The validated settings of one server.
 *
 * @param mode reference or hardened
 * @param host bind address
 * @param l2psPort L2PS port, 0 for ephemeral, -1 disabled
 * @param legacyPort legacy port, 0 for ephemeral, -1 disabled
 * @param l2psUids hosted L2PS networks
 * @param databaseUrl JDBC URL
 * @param databaseUser user or {@code null}
 * @param databasePassword password or {@code null}
 * @param batchSize pipeline batch size
 * @param batchInterval pipeline tick
 * @param finalityDelay batch to confirmation
 * @param submissionPolicy fault hook
 * @param proofWindow hardened proof freshness window (each side of now)
 * @param rateLimitPerSecond hardened frames per second per connection, 0 for none
 * @param rateLimitBurst hardened burst
 * @param idleTimeout WebSocket idle timeout
 * @param workerThreads handler threads
 * @param limits connection, buffer, queue and rate bounds
 * @param databaseRecovery how long to try to reopen a broken database before stopping
 * @param requireServerBoundProof hardened: L2PS registrations must sign this connection's challenge
 * @param storeCommitDelay how long a store writer that just made a small commit waits for more writes
 */
public record ServerConfig(ServerMode mode, String host, int l2psPort, int legacyPort, Set<String> l2psUids,
        String databaseUrl, String databaseUser, String databasePassword, int batchSize, Duration batchInterval,
        Duration finalityDelay, SubmissionPolicy submissionPolicy, Duration proofWindow, int rateLimitPerSecond,
        int rateLimitBurst, Duration idleTimeout, int workerThreads, ServerLimits limits, Duration databaseRecovery,
        boolean requireServerBoundProof, Duration storeCommitDelay) {

    /** The reference's cap on one frame (l2ps.md §4.2 step 1). */
    public static final int L2PS_MAX_FRAME_CHARS = 262_144;
    /** The reference's cap on {@code encrypted.ciphertext} (l2ps.md §4.4). */
    public static final int L2PS_MAX_CIPHERTEXT_CHARS = 131_072;
    /** Queued L2PS messages per sender (l2ps.md §6.2). */
    public static final int L2PS_OFFLINE_LIMIT = 200;
    /** Stored legacy offline messages per sender (legacy-and-crypto.md §A.8). */
    public static final int LEGACY_OFFLINE_LIMIT = 100;
    /** Bun's transport cap, which both reference servers run with. */
    public static final int TRANSPORT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Hardened maximum {@code history.limit}; larger values are clamped. */
    public static final int HARDENED_MAX_HISTORY_LIMIT = 200;
    /** Most messages in one history page in either mode (reference mode has no {@code limit} maximum). */
    public static final int MAX_HISTORY_PAGE_ROWS = 10_000;
    /** Most stored bytes in one history page past its first message, in either mode (then {@code hasMore}). */
    public static final long MAX_HISTORY_PAGE_BYTES = 4L * 1024 * 1024;
    /** Most messages of one offline-queue page handed to the socket at once. */
    public static final int DRAIN_PAGE_ROWS = 64;
    /** Most stored bytes of one offline-queue page past its first message: the drain's bytes in flight. */
    public static final long DRAIN_PAGE_BYTES = 1024 * 1024;
    /** Hardened cap on a legacy message (Bun's 16 MiB otherwise, which the reference keeps). */
    public static final int HARDENED_LEGACY_MAX_MESSAGE_BYTES = 1024 * 1024;

    /**
     * Whether the server runs hardened.
     *
     * @return {@code mode == HARDENED}
     */
    public boolean hardened() {
        return mode == ServerMode.HARDENED;
    }
}
