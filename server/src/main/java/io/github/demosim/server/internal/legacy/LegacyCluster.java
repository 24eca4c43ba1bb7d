package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.Stringify;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.cluster.ClusterUnavailableException;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The legacy protocol on a cluster of nodes on one PostgreSQL database (docs/cluster.md, "The legacy protocol"):
 * registrations are shared, so {@code discover}, {@code request_public_key} and {@code peer_disconnected} see the
 * peers of every node, a registration of an id held on another node takes it over there, and a message for a peer
 * on another node is stored and announced to that node, which delivers it. Alone ({@link ClusterRouting#ALONE}:
 * H2, and reference mode, which keeps the Demos node's single-node behaviour), every call here does nothing and
 * the protocol is the single node's of legacy-and-crypto.md §A.
 *
 * <p>Client ids are shared as the strings they are (hardened ids are strings). Cluster events arrive on the cluster's one events thread; they only touch the registry and
 * hand database work to the deliveries' workers.
 */
final class LegacyCluster implements ClusterRouting.Listener {
    private static final System.Logger LOG = System.getLogger(LegacyCluster.class.getName());
    private static final String PROTOCOL = LegacyProtocol.PROTOCOL;
    /** Purpose of a row stored for a peer online on another node: delivered as a live message. */
    static final String LIVE = "deliver";
    /** Purpose of a row stored for a peer offline as far as its sender's node knew: delivered as queued. */
    static final String QUEUED = "queued";
    /** Purpose of rows delivered from a sender's offline quota, to the node that counts it (the sender's). */
    static final String QUOTA = "quota";
    /** The close of a connection whose id registered on another node (as L2PS's takeover, docs/server.md). */
    static final int TAKEN_OVER = 4000;

    private final LegacyContext x;
    private final ClusterRouting routing;

    LegacyCluster(LegacyContext context, ClusterRouting routing) {
        this.x = context;
        this.routing = routing;
    }

    /**
     * Shares a registration with the other nodes, taking the id over from the node that has it (that node closes
     * its connection), and records the public key for their key lookups. Call it under the id's lock.
     *
     * @return {@code false} if the cluster's database cannot be reached (the registration must fail)
     */
    boolean share(Connection c, JsonValue clientId, JsonValue publicKey, List<String> features) {
        if (!routing.clustered() || !(clientId instanceof JsonValue.JsonString s)) {
            return true;
        }
        try {
            x.store.putLegacyPeerKey(s.value(), Stringify.write(publicKey), x.clock.getAsLong());
            routing.register(PROTOCOL, s.value(), "", Set.copyOf(features))
                    .ifPresent(node -> LOG.log(System.Logger.Level.DEBUG, "{0}: legacy client {1} taken over from "
                            + "node {2}", c, s.value(), node));
            return true;
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: legacy client id not shared with the cluster ({1}); it is "
                    + "reachable on this node only", c, e.getMessage());
            return true;
        } catch (ClusterUnavailableException | StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: legacy registration not shared with the cluster: {1}", c,
                    e.getMessage());
            return false;
        }
    }

    /**
     * Withdraws a peer that left this node from the cluster, unless its id registered here again meanwhile (then
     * the row is that registration's). Takes the id's lock, which orders it against that registration.
     */
    void unshare(LegacyRegistry.Peer peer) {
        if (!routing.clustered() || !(peer.id().value() instanceof JsonValue.JsonString s)) {
            return;
        }
        ReentrantLock lock = x.locks.of(s.value());
        lock.lock();
        try {
            if (!x.registry.contains(peer.id())) {
                routing.unregister(PROTOCOL, s.value());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The node another peer is registered on, if it is a string id registered on another node. */
    Optional<ClusterRouting.Peer> remote(JsonValue id) {
        return id instanceof JsonValue.JsonString s ? routing.remote(PROTOCOL, s.value()) : Optional.empty();
    }

    /** The ids registered on other nodes and not on this one. */
    List<String> remoteIds() {
        List<String> ids = new ArrayList<>();
        for (ClusterRouting.Peer p : routing.remotePeers(PROTOCOL, "")) {
            if (!x.registry.contains(clientId(p.key()))) {
                ids.add(p.key());
            }
        }
        return ids;
    }

    /** The public key a peer on another node registered, as JSON. */
    Optional<JsonValue> remoteKey(String id) {
        return x.store.legacyPeerKey(id).map(x.codec::parse);
    }

    /** Announces a committed row: to the node its peer is on ({@link #LIVE}), or to every node ({@link #QUEUED}). */
    void announce(String node, String purpose, long rowId, JsonValue targetId) {
        if (routing.clustered() && targetId instanceof JsonValue.JsonString s) {
            routing.route(node, PROTOCOL, purpose, List.of(new ClusterRouting.Route(Long.toString(rowId), s.value())));
        }
    }

    /**
     * Queued messages of a sender were delivered (§A.8 delivery step 4): its offline counter goes down by as many on
     * the node that keeps it, the one it is registered on (in memory, as the reference's), here or another.
     */
    void delivered(String senderId, List<Long> rowIds) {
        Optional<ClusterRouting.Peer> at = routing.remote(PROTOCOL, senderId);
        if (at.isEmpty()) {
            x.quota.release(senderId, rowIds.size());
            return;
        }
        List<ClusterRouting.Route> routes = new ArrayList<>(rowIds.size());
        rowIds.forEach(id -> routes.add(new ClusterRouting.Route(Long.toString(id), senderId)));
        routing.route(at.get().node(), PROTOCOL, QUOTA, routes);
    }

    // --- what other nodes did (the cluster's events thread) -------------------------------------------------------

    @Override
    public void rows(String purpose, List<ClusterRouting.Route> routes) {
        if (QUOTA.equals(purpose)) {
            routes.forEach(r -> x.quota.release(r.key(), 1)); // r.key(): the sender, registered here
            return;
        }
        Map<String, List<Long>> byRecipient = new LinkedHashMap<>();
        for (ClusterRouting.Route r : routes) {
            List<Long> live = byRecipient.computeIfAbsent(r.key(), k -> new ArrayList<>());
            if (LIVE.equals(purpose)) {
                try {
                    live.add(Long.parseLong(r.rowId()));
                } catch (NumberFormatException e) {
                    LOG.log(System.Logger.Level.DEBUG, "legacy route with a row id that is not ours ignored: {0}",
                            r.rowId());
                }
            }
        }
        byRecipient.forEach(x.deliveries::routed);
    }

    @Override
    public void left(ClusterRouting.Peer peer, boolean nodeDown) {
        if (!x.registry.contains(clientId(peer.key()))) { // not registered here again meanwhile
            x.peerLeft(JsonValue.of(peer.key()));
        }
    }

    @Override
    public void takenOver(String key) {
        LegacyRegistry.ClientId id = clientId(key);
        ReentrantLock lock = x.locks.of(key);
        LegacyRegistry.Peer old;
        lock.lock();
        try {
            old = x.registry.get(id);
            if (old == null || !x.registry.remove(old)) {
                return;
            }
            x.deliveries.gone(key, old.connection());
        } finally {
            lock.unlock();
        }
        // The id is online on its new node: no peer_disconnected here. Its other ids (hardened: several per socket)
        // leave with the socket, each told as usual.
        LOG.log(System.Logger.Level.DEBUG, "{0}: legacy client {1} registered on another node; closing", old
                .connection(), key);
        old.connection().close(TAKEN_OVER, "replaced by a newer registration of this client id on another server");
    }

    @Override
    public void resync() {
        x.deliveries.resync(); // a missed announcement leaves its row pending: a pass per local peer finds it
    }

    private static LegacyRegistry.ClientId clientId(String key) {
        return new LegacyRegistry.ClientId(JsonValue.of(key));
    }
}
