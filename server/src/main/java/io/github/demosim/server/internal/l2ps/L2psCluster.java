package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.L2psMessageRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * L2PS across the nodes of a cluster (docs/cluster.md): what this node hears from the others. Rows stored for a
 * peer registered here are claimed (a conditional update: of two nodes, or of a drain and this, one delivers a row)
 * and written live through {@link L2psDelivery}, behind a running drain, in conversation order, one recipient's
 * batches one after another; peers joining and leaving other nodes are announced to this node's peers of their
 * network (l2ps.md §8); a key taken over by another node closes its connection here, as a second registration on
 * one node does (§5.3); pipeline status changes are pushed to senders registered here.
 *
 * <p>Called on the cluster's events thread; database work goes to the workers.
 */
final class L2psCluster implements ClusterRouting.Listener {
    private static final System.Logger LOG = System.getLogger(L2psCluster.class.getName());
    /** Purpose of routes whose rows are for their recipients. */
    static final String DELIVER = "deliver";
    /** Purpose of routes whose rows changed pipeline state, for their senders. */
    static final String STATUS = "status";
    /** Purpose of routes whose rows left their recipient's offline queue: their senders' quotas start again. */
    static final String QUOTA = "quota";

    private final L2psContext x;
    private final L2psPresence presence;
    private final L2psHistory history;
    /** Per recipient key: the end of its delivery work, so its batches run one after another. */
    private final Map<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

    L2psCluster(L2psContext x, L2psPresence presence, L2psHistory history) {
        this.x = x;
        this.presence = presence;
        this.history = history;
    }

    @Override
    public void rows(String purpose, List<ClusterRouting.Route> routes) {
        if (x.stopping()) {
            return;
        }
        if (STATUS.equals(purpose)) {
            List<String> ids = routes.stream().map(ClusterRouting.Route::rowId).toList();
            work(() -> history.pipelineChanged(x.store.rowsById(ids)));
            return;
        }
        if (QUOTA.equals(purpose)) {
            // l2ps.md §6.2: a sender whose queued messages were drained starts from 0 again, on its own node
            x.quota.reset(routes.stream().map(ClusterRouting.Route::key).distinct().toList());
            return;
        }
        if (!DELIVER.equals(purpose)) {
            return;
        }
        Map<String, List<String>> byRecipient = new LinkedHashMap<>();
        for (ClusterRouting.Route r : routes) {
            byRecipient.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.rowId());
        }
        byRecipient.forEach((key, ids) -> serial(key, () -> deliver(key, ids)));
    }

    /** Claims the rows still queued for a local recipient and writes them to it; behind its drain if one runs. */
    private CompletableFuture<Void> deliver(String key, List<String> ids) {
        L2psRegistry.Entry entry = x.registry.get(key);
        if (entry == null || !entry.connection().isOpen() || x.stopping()) {
            return CompletableFuture.completedFuture(null); // the rows stay queued for its next registration's drain
        }
        Connection c = entry.connection();
        L2psSession s = c.state(L2psSession.class);
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        L2psDelivery.Drain drain = s.drain();
        if (drain != null) {
            // what the drain writes it has marked, and a row it did not read is still queued: claim after it
            CompletableFuture<Void> ended = new CompletableFuture<>();
            drain.after(() -> ended.complete(null));
            return ended.thenComposeAsync(v -> deliver(key, ids), x.workers);
        }
        boolean acking = x.rules.extensions() && s.has(L2psProtocol.FEATURE_ACK);
        List<L2psMessageRow> released = new ArrayList<>();
        List<String> claim = withOlderQueued(key, entry.l2psUid(), ids);
        for (L2psMessageRow row : x.store.claimQueued(key, claim, acking ? DeliveryState.PENDING_ACK
                : DeliveryState.DELIVERED)) {
            if (!row.l2psUid().equals(entry.l2psUid())) {
                x.store.requeue(row.id()); // stored for the key in another network: its drain there delivers it
                continue;
            }
            if (row.viaQueue()) {
                released.add(row); // it had taken a slot of its sender's offline quota
            }
            String frame = x.deliveries.messageFrame(row.from(), x.codec.parse(row.encryptedJson()),
                    row.messageHash(), false, row.timestamp());
            x.deliveries.requeueIfUnwritten(x.deliveries.writeLive(c, frame), row.id(), key);
        }
        List<String> localSenders = new ArrayList<>();
        for (L2psMessageRow row : released) {
            if (x.registry.get(row.from()) != null) {
                localSenders.add(row.from());
            }
        }
        x.quota.reset(localSenders);
        releaseQuota(x, released);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The named rows and the older ones still queued for the recipient. A sender's node names rows to the node it
     * believes the recipient is on; when that node died first (its lease not reaped yet) its rows stay queued while
     * later ones, named here once the sender's node learnt of the move, arrive: claimed alone they would overtake
     * them (found by reliability's ClusterKillTests). Claimed with them, in row order, the conversation keeps its
     * order (l2ps.md §6.1).
     */
    private List<String> withOlderQueued(String key, String uid, List<String> ids) {
        // ids only, from the queue index: a page read with bodies here (pending_ack rows included) made cross-node
        // delivery at 500 msg/s fall 19 s behind (docs/performance.md, cluster, third run)
        Set<String> all = new LinkedHashSet<>(x.store.queuedIds(key, uid, ServerConfig.DRAIN_PAGE_ROWS));
        all.addAll(ids);
        return new ArrayList<>(all);
    }

    /**
     * A row put back in its recipient's queue after its frame was not written: delivered now if the recipient is
     * registered here again (its drain may have run before the row was queued), else named to every node (it may
     * have registered on another); otherwise its next registration's drain delivers it.
     *
     * @return completes once the row's frame is handed to the recipient's connection here, or left to others
     */
    CompletableFuture<Void> requeued(String key, String rowId) {
        if (x.stopping()) {
            return CompletableFuture.completedFuture(null);
        }
        if (x.registry.get(key) != null) {
            return serial(key, () -> deliver(key, List.of(rowId)));
        }
        x.cluster.route(ClusterRouting.ANY, L2psProtocol.PROTOCOL, DELIVER, List.of(new ClusterRouting.Route(rowId,
                key)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void joined(ClusterRouting.Peer peer) {
        if (x.stopping()) {
            return;
        }
        String frame = x.reply.frame((at, id) -> new PeerJoined(peer.key(), at, id), null);
        for (L2psRegistry.Entry e : x.registry.inNetwork(peer.scope())) {
            if (!e.publicKey().equals(peer.key())) {
                e.connection().send(frame); // §8: peer_joined to the others of its network
            }
        }
    }

    @Override
    public void left(ClusterRouting.Peer peer, boolean nodeDown) {
        L2psRegistry.Entry here = x.registry.get(peer.key());
        if (here != null && here.l2psUid().equals(peer.scope())) {
            return; // it is registered here now: it did not leave the network
        }
        presence.broadcastPeerLeft(peer.key(), peer.scope(), null);
    }

    @Override
    public void takenOver(String key) {
        L2psRegistry.Entry entry = x.registry.get(key);
        // Removed first, without peer_left: the key is still online, on the other node (its peers heard joined).
        if (entry != null && x.registry.removeIfConnection(key, entry.connection())) {
            entry.connection().close(4000, "replaced by a newer registration of this key");
        }
    }

    /** Notices may have been lost: whatever is queued for the peers registered here is claimed and delivered. */
    @Override
    public void resync() {
        if (x.stopping()) {
            return;
        }
        for (L2psRegistry.Entry e : x.registry.entries()) {
            serial(e.publicKey(), () -> deliver(e.publicKey(), List.of())); // claims whatever is queued
        }
    }

    /**
     * Sends the pipeline changes of messages whose senders are registered on other nodes to those nodes.
     *
     * @param x the context
     * @param changed messages whose pipeline state changed
     */
    static void routeStatus(L2psContext x, List<L2psMessageRow> changed) {
        if (!x.cluster.clustered() || !x.rules.pushesStatus() || x.stopping()) {
            return;
        }
        Map<String, List<ClusterRouting.Route>> byNode = new LinkedHashMap<>();
        for (L2psMessageRow row : changed) {
            if (x.registry.get(row.from()) != null) {
                continue; // pushed from here
            }
            x.cluster.remote(L2psProtocol.PROTOCOL, row.from()).filter(p -> p.scope().equals(row.l2psUid()))
                    .ifPresent(p -> byNode.computeIfAbsent(p.node(), n -> new ArrayList<>())
                            .add(new ClusterRouting.Route(row.id(), row.from())));
        }
        byNode.forEach((node, routes) -> x.cluster.route(node, L2psProtocol.PROTOCOL, STATUS, routes));
    }

    /**
     * Tells the nodes of senders registered elsewhere that queued messages of theirs reached their recipient, so
     * their offline quotas (kept in memory by the sender's node, l2ps.md §6.2) start again there.
     *
     * @param x the context
     * @param rows rows that left the queue
     */
    static void releaseQuota(L2psContext x, List<L2psMessageRow> rows) {
        if (!x.cluster.clustered()) {
            return;
        }
        Map<String, List<ClusterRouting.Route>> byNode = new LinkedHashMap<>();
        for (L2psMessageRow row : rows) {
            if (row.delivery() == DeliveryState.QUEUED || row.viaQueue()) {
                x.cluster.remote(L2psProtocol.PROTOCOL, row.from()).ifPresent(p -> byNode.computeIfAbsent(p.node(),
                        n -> new ArrayList<>()).add(new ClusterRouting.Route(row.id(), row.from())));
            }
        }
        byNode.forEach((node, routes) -> x.cluster.route(node, L2psProtocol.PROTOCOL, QUOTA, routes));
    }

    /** Runs one recipient's delivery work after its earlier work, on the workers; completes when it ended. */
    private CompletableFuture<Void> serial(String key, Supplier<CompletableFuture<Void>> task) {
        return chains.compute(key, (k, tail) -> {
            CompletableFuture<Void> base = tail == null ? CompletableFuture.completedFuture(null) : tail;
            CompletableFuture<Void> next = base.thenComposeAsync(v -> {
                try {
                    return task.get();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cross-node delivery failed; the rows stay queued for "
                            + "the recipient's next drain", e);
                    return CompletableFuture.completedFuture(null);
                }
            }, x.workers).exceptionally(e -> null);
            next.whenComplete((ok, e) -> chains.remove(k, next));
            return next;
        });
    }

    private void work(Runnable task) {
        try {
            x.workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cluster status push failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }
}
