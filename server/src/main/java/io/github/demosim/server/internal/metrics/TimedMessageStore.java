package io.github.demosim.server.internal.metrics;

import io.github.demosim.server.internal.store.BatchRow;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.LegacyOfflineRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.Page;
import io.github.demosim.server.internal.store.PipelineRound;
import io.github.demosim.server.internal.store.QueueUsage;
import io.github.demosim.server.internal.store.StoreException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A store that reports how long each write takes ({@link ServerMetrics#storeWrite}); reads pass straight through.
 * A decorator, so the JDBC store stays free of metrics; a failed write is timed too (a slow failure is exactly
 * what an operator wants to see).
 */
public final class TimedMessageStore implements MessageStore {
    private final MessageStore store;
    private final ServerMetrics metrics;

    private TimedMessageStore(MessageStore store, ServerMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Wraps a store, unless nothing is recorded.
     *
     * @param store the store
     * @param metrics where the timings go
     * @return {@code store} itself for {@link ServerMetrics#NONE}, else a timing decorator
     */
    public static MessageStore wrap(MessageStore store, ServerMetrics metrics) {
        return metrics == ServerMetrics.NONE ? store : new TimedMessageStore(store, metrics);
    }

    private <T> T timed(String operation, Supplier<T> write) {
        long start = System.nanoTime();
        try {
            return write.get();
        } finally {
            metrics.storeWrite(operation, System.nanoTime() - start);
        }
    }

    /** A grouped write is timed from its submission to its commit: what its caller waits for. */
    private <T> CompletableFuture<T> timedAsync(String operation, Supplier<CompletableFuture<T>> write) {
        long start = System.nanoTime();
        return write.get().whenComplete((ok, failure) -> metrics.storeWrite(operation, System.nanoTime() - start));
    }

    private void timed(String operation, Runnable write) {
        long start = System.nanoTime();
        try {
            write.run();
        } finally {
            metrics.storeWrite(operation, System.nanoTime() - start);
        }
    }

    @Override
    public Optional<L2psMessageRow> findByMessageHash(String messageHash) {
        return store.findByMessageHash(messageHash);
    }

    @Override
    public void insert(L2psMessageRow row) {
        timed("insert", () -> store.insert(row));
    }

    @Override
    public CompletableFuture<Void> insertGrouped(L2psMessageRow row) {
        return timedAsync("insert", () -> store.insertGrouped(row));
    }

    @Override
    public void markAdmitted(String id, String l2psTxHash) {
        timed("markAdmitted", () -> store.markAdmitted(id, l2psTxHash));
    }

    @Override
    public void markRejected(String id, String reason) {
        timed("markRejected", () -> store.markRejected(id, reason));
    }

    @Override
    public List<L2psMessageRow> undelivered(String toKey, String l2psUid) {
        return store.undelivered(toKey, l2psUid);
    }

    @Override
    public void setDelivery(Collection<String> ids, DeliveryState state) {
        timed("setDelivery", () -> store.setDelivery(ids, state));
    }

    @Override
    public List<L2psMessageRow> rowsById(Collection<String> ids) {
        return store.rowsById(ids);
    }

    @Override
    public List<L2psMessageRow> claimQueued(String toKey, Collection<String> ids, DeliveryState state) {
        return timed("claimQueued", () -> store.claimQueued(toKey, ids, state));
    }

    @Override
    public void requeue(String id) {
        timed("requeue", () -> store.requeue(id));
    }

    @Override
    public boolean acknowledge(String toKey, String messageHash) {
        return timed("acknowledge", () -> store.acknowledge(toKey, messageHash));
    }

    @Override
    public CompletableFuture<Boolean> acknowledgeGrouped(String toKey, String messageHash) {
        return timedAsync("acknowledge", () -> store.acknowledgeGrouped(toKey, messageHash));
    }

    @Override
    public List<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int max) {
        return store.history(l2psUid, me, peer, before, max);
    }

    @Override
    public long latestTimestamp(String l2psUid, String a, String b) {
        return store.latestTimestamp(l2psUid, a, b);
    }

    @Override
    public List<String> networksWithPendingTransactions() {
        return store.networksWithPendingTransactions();
    }

    @Override
    public List<L2psMessageRow> pendingTransactions(String l2psUid, int max) {
        return store.pendingTransactions(l2psUid, max);
    }

    @Override
    public void recordRound(List<PipelineRound> batches) {
        timed("recordRound", () -> store.recordRound(batches));
    }

    @Override
    public List<BatchRow> batchesSubmittedBefore(long cutoff, int max) {
        return store.batchesSubmittedBefore(cutoff, max);
    }

    @Override
    public List<L2psMessageRow> confirmBatches(List<String> batchHashes, long now) {
        return timed("confirmBatches", () -> store.confirmBatches(batchHashes, now));
    }

    @Override
    public LegacyOfflineRow insertLegacyOffline(LegacyOfflineRow row) {
        return timed("insertLegacyOffline", () -> store.insertLegacyOffline(row));
    }

    @Override
    public void deleteLegacyOffline(long id) {
        timed("deleteLegacyOffline", () -> store.deleteLegacyOffline(id));
    }

    @Override
    public List<LegacyOfflineRow> pendingLegacy(String recipientId) {
        return store.pendingLegacy(recipientId);
    }

    @Override
    public void markLegacySent(Collection<Long> ids) {
        timed("markLegacySent", () -> store.markLegacySent(ids));
    }

    @Override
    public boolean recordProofUse(String proofKey, long expiresAt) {
        return timed("recordProofUse", () -> store.recordProofUse(proofKey, expiresAt));
    }

    @Override
    public int purgeExpiredProofs(long now) {
        return timed("purgeExpiredProofs", () -> store.purgeExpiredProofs(now));
    }

    @Override
    public void publishKemKey(String publicKey, String l2psUid, String kemPublicKey, List<String> features, long now) {
        timed("publishKemKey", () -> store.publishKemKey(publicKey, l2psUid, kemPublicKey, features, now));
    }

    @Override
    public Optional<KemKeyEntry> kemKey(String publicKey, String l2psUid) {
        return store.kemKey(publicKey, l2psUid);
    }

    @Override
    public Page<L2psMessageRow> undeliveredPage(String toKey, String l2psUid, Page.Cursor after, int maxRows,
            long maxBytes) {
        return store.undeliveredPage(toKey, l2psUid, after, maxRows, maxBytes);
    }

    @Override
    public List<String> queuedIds(String toKey, String l2psUid, int maxRows) {
        return store.queuedIds(toKey, l2psUid, maxRows);
    }

    @Override
    public int queuedFrom(String fromKey, String l2psUid) {
        return store.queuedFrom(fromKey, l2psUid);
    }

    @Override
    public QueueUsage undeliveredUsage(String toKey, String l2psUid) {
        return store.undeliveredUsage(toKey, l2psUid);
    }

    @Override
    public Page<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int maxRows,
            long maxBytes) {
        return store.history(l2psUid, me, peer, before, maxRows, maxBytes);
    }

    @Override
    public Page<LegacyOfflineRow> pendingLegacyPage(String recipientId, Page.Cursor after, int maxRows,
            long maxBytes) {
        return store.pendingLegacyPage(recipientId, after, maxRows, maxBytes);
    }

    @Override
    public QueueUsage pendingLegacyUsage(String recipientId) {
        return store.pendingLegacyUsage(recipientId);
    }

    @Override
    public String bindLegacyId(String clientId, String keyDigest, long now) {
        return timed("bind_legacy_id", () -> store.bindLegacyId(clientId, keyDigest, now));
    }

    @Override
    public void putLegacyPeerKey(String clientId, String publicKeyJson, long now) {
        timed("put_legacy_peer_key", () -> store.putLegacyPeerKey(clientId, publicKeyJson, now));
    }

    @Override
    public Optional<String> legacyPeerKey(String clientId) {
        return timed("legacy_peer_key", () -> store.legacyPeerKey(clientId));
    }

    @Override
    public void checkWritable() {
        store.checkWritable();
    }

    @Override
    public void reopen() {
        store.reopen();
    }

    @Override
    public void onFatal(java.util.function.Consumer<StoreException> listener) {
        store.onFatal(listener);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public long fileBytes() {
        return store.fileBytes();
    }

    @Override
    public boolean diskReserveReached() {
        return store.diskReserveReached();
    }
}
