package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.KeyedLocks;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.spi.FrameCodec;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the L2PS handlers share: the settings and mode rules, the store, the registry of online keys, the per-key
 * locks that order a registration against sends to its key, and the offline quota.
 */
final class L2psContext {
    final ServerConfig config;
    final L2psRules rules;
    final FrameCodec codec;
    final MessageStore store;
    final L2psHashes hashes;
    final SubmissionPolicy policy;
    final LongSupplier clock;
    final L2psReply reply;
    final L2psProofs proofs;
    final L2psRegistry registry = new L2psRegistry();
    final OfflineQuota quota = new OfflineQuota(ServerConfig.L2PS_OFFLINE_LIMIT);
    final KeyedLocks locks = new KeyedLocks(64);
    final L2psDelivery deliveries;
    final ServerMetrics metrics;
    /** Runs database work that follows a write, off the thread that completed it. */
    final Executor workers;
    /**
     * The other nodes (docs/cluster.md): {@link ClusterRouting#ALONE} on one process, and in reference mode, which
     * keeps the reference's single-node behaviour (its peers are this node's own, whatever the database).
     */
    final ClusterRouting cluster;
    private volatile boolean stopping;

    L2psContext(ServerConfig config, FrameCodec codec, ServerCrypto crypto, MessageStore store, L2psHashes hashes,
            LongSupplier clock, Executor workers, ServerMetrics metrics, ClusterRouting cluster) {
        this.config = config;
        this.rules = L2psRules.of(config.hardened());
        this.codec = codec;
        this.store = store;
        this.hashes = hashes;
        this.policy = config.submissionPolicy();
        this.clock = clock;
        this.metrics = metrics;
        this.workers = workers;
        this.cluster = config.hardened() ? cluster : ClusterRouting.ALONE;
        this.reply = new L2psReply(clock, metrics);
        this.proofs = new L2psProofs(crypto, store, rules, config.proofWindow(), clock);
        this.deliveries = new L2psDelivery(rules, codec, store, reply, quota, workers, metrics,
                rows -> L2psCluster.releaseQuota(this, rows));
    }

    /** Whether the server is shutting down: no presence broadcasts or status pushes then. */
    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }
}
