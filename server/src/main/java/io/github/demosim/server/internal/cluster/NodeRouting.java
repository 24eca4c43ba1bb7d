package io.github.demosim.server.internal.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link ClusterRouting} on PostgreSQL: a {@link ClusterNode} (lease, notices, the presence table) plus a cache
 * of every registration, kept by {@link Notice#JOINED}/{@link Notice#LEFT}/{@link Notice#NODE_DOWN} notices and
 * re-read whole after every LISTEN (re-)connection, so {@code discover} and routing never ask the database and a
 * node can name the peers a dead node had when its lease is reaped.
 *
 * <p>Threads: notices and lease events are handled on one events thread, in order (its queue is bounded; on
 * overflow the notices are dropped and a resync follows). Routes are batched by a notify thread: whatever
 * accumulated while it sent the last batch goes in the next, as few notices as fit in
 * {@value Notice#MAX_PAYLOAD_BYTES} bytes each (about 140 rows per notice), each entry a row id and the first 16
 * hex digits of its recipient's key digest, so every node picks out the rows of its own peers without a read.
 */
public final class NodeRouting implements ClusterRouting {
    private static final System.Logger LOG = System.getLogger(NodeRouting.class.getName());
    private static final int EVENTS_QUEUED = 100_000;
    private static final int PREFIX = 16;

    private final ClusterNode node;
    private final String self;
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    /** Every registration of the cluster, this node's included, by protocol + ' ' + key digest. */
    private final Map<String, Peer> cache = new ConcurrentHashMap<>();
    /** This node's registrations, by protocol + ' ' + key digest; and by protocol + ' ' + digest prefix. */
    private final Map<String, Peer> local = new ConcurrentHashMap<>();
    private final Map<String, String> localByPrefix = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor events;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final RouteOutbox outbox;
    /** Opens once the constructor is done: events wait for it (the bus starts inside {@code join}). */
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean closed;

    private NodeRouting(ClusterDatabase database, String description, NodeLease.Timing timing) throws SQLException {
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(EVENTS_QUEUED), r -> {
            Thread t = new Thread(r, "demos-im-cluster-events");
            t.setDaemon(true);
            return t;
        });
        this.node = join(database, description, timing, new ClusterNode.Events() {
            @Override
            public void nodeDown(String nodeId) {
                onEvents(() -> down(nodeId));
            }

            @Override
            public void takenOver(String protocol, String keyDigest) {
                onEvents(() -> takeover(protocol, keyDigest));
            }

            @Override
            public void ownLeaseLost() {
                onEvents(NodeRouting.this::reclaimAll);
            }

            @Override
            public void resync() {
                onEvents(NodeRouting.this::resyncNow);
            }

            @Override
            public void notice(Notice notice) {
                onEvents(() -> heard(notice));
            }
        });
        this.self = node.nodeId();
        this.outbox = new RouteOutbox(self, node.bus());
        ready.countDown();
    }

    private ClusterNode join(ClusterDatabase database, String description, NodeLease.Timing timing,
            ClusterNode.Events heard) throws SQLException {
        try {
            return ClusterNode.join(database, description, timing, heard);
        } catch (SQLException | RuntimeException e) {
            events.shutdownNow(); // no thread left behind by a node that could not join
            throw e;
        }
    }

    /**
     * Joins the cluster with the default lease timing.
     *
     * @param database the cluster's database
     * @param description what the node is, for operators
     * @return the routing, its node joined
     * @throws SQLException if the lease cannot be written
     */
    public static NodeRouting join(ClusterDatabase database, String description) throws SQLException {
        return new NodeRouting(database, description, NodeLease.Timing.DEFAULT);
    }

    /**
     * Joins the cluster with a lease timing of its own (tests, and operators who trade database load for a
     * shorter delay before a dead node's peers are reported gone).
     *
     * @param database the cluster's database
     * @param description what the node is
     * @param heartbeat time between lease renewals
     * @param expiry lease expiry, at least three heartbeats
     * @return the routing
     * @throws SQLException if the lease cannot be written
     */
    public static NodeRouting join(ClusterDatabase database, String description, Duration heartbeat, Duration expiry)
            throws SQLException {
        return new NodeRouting(database, description, new NodeLease.Timing(heartbeat, expiry));
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String nodeId() {
        return self;
    }

    /**
     * The node (lease, bus, presence table).
     *
     * @return the node
     */
    public ClusterNode node() {
        return node;
    }

    @Override
    public void listen(String protocol, Listener listener) {
        listeners.put(protocol, listener);
    }

    // --- the protocols' calls ----------------------------------------------------------------------------------

    @Override
    public Optional<String> register(String protocol, String key, String scope, Set<String> features) {
        String digest = ClusterPresence.digest(key);
        Optional<String> previous;
        try {
            previous = node.presence().register(protocol, key, scope, features);
        } catch (SQLException e) {
            throw new ClusterUnavailableException("could not register " + protocol + " key on the cluster: "
                    + e.getMessage(), e);
        }
        Peer peer = new Peer(protocol, key, scope, features, self);
        local.put(protocol + ' ' + digest, peer);
        localByPrefix.put(protocol + ' ' + digest.substring(0, PREFIX), key);
        cache.put(protocol + ' ' + digest, peer);
        return previous;
    }

    @Override
    public void unregister(String protocol, String key) {
        String digest = ClusterPresence.digest(key);
        forget(protocol, digest);
        cache.computeIfPresent(protocol + ' ' + digest, (k, p) -> p.node().equals(self) ? null : p);
        try {
            node.presence().unregister(protocol, key);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not unregister a {0} key from the cluster ({1}); its row "
                    + "stays until this node stops or is reaped", protocol, e.getMessage());
        }
    }

    @Override
    public Optional<Peer> remote(String protocol, String key) {
        Peer p = cache.get(protocol + ' ' + ClusterPresence.digest(key));
        return p == null || p.node().equals(self) ? Optional.empty() : Optional.of(p);
    }

    @Override
    public List<Peer> remotePeers(String protocol, String scope) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : cache.values()) {
            if (p.protocol().equals(protocol) && p.scope().equals(scope) && !p.node().equals(self)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void route(String to, String protocol, String purpose, List<Route> routes) {
        if (to.equals(self) || routes.isEmpty() || closed) {
            return;
        }
        List<String> entries = new ArrayList<>(routes.size());
        for (Route r : routes) {
            entries.add(r.rowId() + ':' + ClusterPresence.digest(r.key()).substring(0, PREFIX));
        }
        // checked here, on the caller's thread: a bad id is the caller's bug, not the notify thread's
        new Notice(Notice.ROWS, List.of(self, to, protocol, purpose));
        entries.forEach(Notice::checkId);
        outbox.add(to, protocol, purpose, entries);
    }

    // --- the events thread ---------------------------------------------------------------------------------------

    private void onEvents(Runnable task) {
        if (closed) {
            return;
        }
        try {
            events.execute(() -> {
                try {
                    ready.await();
                    task.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "cluster event failed", e);
                }
                if (events.getQueue().isEmpty() && overflowed.compareAndSet(true, false)) {
                    resyncNow();
                }
            });
        } catch (RejectedExecutionException e) {
            if (!closed && overflowed.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "cluster events queue full ({0}): notices dropped, the node "
                        + "re-reads the tables once it caught up", String.valueOf(EVENTS_QUEUED));
            }
        }
    }

    /** A read failed (the database is unreachable): re-read everything in a second, until it works. */
    private void retryLater() {
        if (!closed && retrying.compareAndSet(false, true)) {
            java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
                retrying.set(false);
                onEvents(this::resyncNow);
            });
        }
    }

    private void heard(Notice n) {
        List<String> ids = n.ids();
        switch (n.kind()) {
            case Notice.JOINED -> {
                if (ids.size() == 3 && !ids.get(0).equals(self)) {
                    joinedElsewhere(ids.get(1), ids.get(2));
                }
            }
            case Notice.LEFT -> {
                if (ids.size() == 3 && !ids.get(0).equals(self)) {
                    Peer gone = remove(ids.get(1) + ' ' + ids.get(2), ids.get(0));
                    if (gone != null) {
                        listener(gone.protocol()).left(gone, false);
                    }
                }
            }
            case Notice.ROWS -> {
                if (ids.size() >= 5 && !ids.get(0).equals(self)
                        && (ids.get(1).equals(self) || ids.get(1).equals(ANY))) {
                    rows(ids.get(1).equals(self), ids.get(2), ids.get(3), ids.subList(4, ids.size()));
                }
            }
            default -> LOG.log(System.Logger.Level.DEBUG, "cluster notice of unknown kind {0} ignored", n.kind());
        }
    }

    private void joinedElsewhere(String protocol, String digest) {
        Optional<ClusterPresence.Registration> row;
        try {
            row = node.presence().row(protocol, digest);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read a cluster registration ({0}); re-reading all",
                    e.getMessage());
            retryLater();
            return;
        }
        if (row.isEmpty() || row.get().nodeId().equals(self)) {
            return; // gone again already (its `left` follows), or ours: the cache has it
        }
        Peer peer = peer(row.get());
        Peer was = cache.put(protocol + ' ' + digest, peer);
        if (was != null && !was.node().equals(self) && !was.scope().equals(peer.scope())) {
            listener(protocol).left(was, false); // it switched networks: it left the one it was in
        }
        listener(protocol).joined(peer);
    }

    private void rows(boolean addressed, String protocol, String purpose, List<String> entries) {
        List<Route> mine = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        for (String e : entries) {
            int colon = e.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = localByPrefix.get(protocol + ' ' + e.substring(colon + 1));
            if (key != null) {
                mine.add(new Route(e.substring(0, colon), key));
            } else if (addressed) {
                elsewhere.add(e);
            }
        }
        if (!mine.isEmpty()) {
            listener(protocol).rows(purpose, mine);
        }
        if (!elsewhere.isEmpty()) {
            // The recipient moved on since the sender looked: ask every node (not forwarded again).
            outbox.add(ANY, protocol, purpose, elsewhere);
        }
    }

    private void down(String nodeId) {
        for (Map.Entry<String, Peer> e : new ArrayList<>(cache.entrySet())) {
            if (e.getValue().node().equals(nodeId) && cache.remove(e.getKey(), e.getValue())) {
                listener(e.getValue().protocol()).left(e.getValue(), true);
            }
        }
        // Rows named to the dead node while it was still thought alive (a sender's cache pointed there) are queued
        // and named to nobody living; a peer that failed over here may have drained its queue before they were
        // stored. Found by the 1,000-message SIGKILL test (reliability ClusterKillTests).
        listeners.values().forEach(Listener::resync);
    }

    /** A takeover notice: stale when the key registered here again since (the row is this node's then). */
    private void takeover(String protocol, String digest) {
        try {
            if (node.presence().row(protocol, digest).map(r -> r.nodeId().equals(self)).orElse(false)) {
                return;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not check a takeover ({0}); acting on it", e.getMessage());
        }
        lostTo(protocol, digest);
    }

    private void lostTo(String protocol, String digest) {
        Peer mine = forget(protocol, digest);
        if (mine != null) {
            listener(protocol).takenOver(mine.key());
        }
    }

    private void reclaimAll() {
        for (Peer p : new ArrayList<>(local.values())) {
            try {
                if (!node.presence().reclaim(new ClusterPresence.Registration(p.protocol(),
                        ClusterPresence.digest(p.key()), self, p.key(), p.scope(), p.features()))) {
                    lostTo(p.protocol(), ClusterPresence.digest(p.key()));
                }
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "could not register a key again after this node''s lease was "
                        + "lost ({0}); retrying at the next resync", e.getMessage());
                retryLater();
                return;
            }
        }
    }

    private void resyncNow() {
        List<ClusterPresence.Registration> rows;
        try {
            rows = node.presence().all();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cluster resync could not read the registrations ({0})",
                    e.getMessage());
            retryLater();
            return;
        }
        Map<String, Peer> now = new HashMap<>();
        for (ClusterPresence.Registration r : rows) {
            now.put(r.protocol() + ' ' + r.keyDigest(), peer(r));
        }
        for (Map.Entry<String, Peer> e : new ArrayList<>(cache.entrySet())) {
            Peer was = e.getValue();
            Peer is = now.get(e.getKey());
            if (!was.node().equals(self) && (is == null || !is.node().equals(was.node()))) {
                cache.remove(e.getKey(), was);
                if (is == null) {
                    listener(was.protocol()).left(was, false);
                }
            }
        }
        for (Map.Entry<String, Peer> e : now.entrySet()) {
            Peer is = e.getValue();
            if (is.node().equals(self)) {
                continue;
            }
            Peer was = cache.put(e.getKey(), is);
            if (was == null || !was.node().equals(is.node())) {
                listener(is.protocol()).joined(is);
            }
        }
        for (Map.Entry<String, Peer> e : new ArrayList<>(local.entrySet())) {
            Peer is = now.get(e.getKey());
            if (is != null && !is.node().equals(self)) {
                String[] k = e.getKey().split(" ", 2);
                lostTo(k[0], k[1]);
            }
        }
        if (local.keySet().stream().anyMatch(k -> !now.containsKey(k))) {
            reclaimAll(); // rows lost with a reaped lease
        }
        listeners.values().forEach(Listener::resync);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private Peer forget(String protocol, String digest) {
        Peer mine = local.remove(protocol + ' ' + digest);
        if (mine != null) {
            localByPrefix.remove(protocol + ' ' + digest.substring(0, PREFIX), mine.key());
        }
        return mine;
    }

    private Peer remove(String cacheKey, String onNode) {
        Peer p = cache.get(cacheKey);
        return p != null && p.node().equals(onNode) && cache.remove(cacheKey, p) ? p : null;
    }

    private static Peer peer(ClusterPresence.Registration r) {
        return new Peer(r.protocol(), r.key(), r.scope(), r.features(), r.nodeId());
    }

    private static final Listener NOBODY = new Listener() {
    };

    private Listener listener(String protocol) {
        return listeners.getOrDefault(protocol, NOBODY);
    }

    /** Stops as a killed process would, for tests: no goodbye, the lease is left to expire. */
    void halt() {
        closed = true;
        node.halt();
        stopThreads();
    }

    /** Leaves the cluster: the lease and this node's registrations are deleted, the others told at once. */
    @Override
    public void close() {
        closed = true;
        stopThreads();
        node.close();
    }

    private void stopThreads() {
        if (outbox != null) {
            outbox.close();
        }
        events.shutdownNow();
    }
}
