package io.github.demosim.server.internal.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the protocols ask of the cluster: who is registered where, and "stored rows for your peers" notices to
 * other nodes. One instance per server; {@link #ALONE} on a single process (H2, or a protocol mode that keeps to one
 * node), so protocol code never branches on a missing cluster. {@link NodeRouting} is the PostgreSQL one.
 *
 * <p>Keys are named as the protocols name them (an L2PS public key, a legacy client id); notices carry only their
 * digests and row ids (docs/cluster.md, "The notice path"). A notice can be lost (a node not listening at the
 * time): a protocol must leave a stored row deliverable by its next drain, and re-check on
 * {@link Listener#resync()}.
 */
public interface ClusterRouting extends AutoCloseable {
    /** No other node: nothing registered elsewhere, nothing to route; registrations are the protocol's own. */
    ClusterRouting ALONE = new ClusterRouting() {
    };

    /**
     * A registration on some node.
     *
     * @param protocol the protocol ("l2ps", "legacy")
     * @param key the key
     * @param scope the L2PS network id, '' where the protocol has none
     * @param features the extensions the registration negotiated
     * @param node the node it is on
     */
    record Peer(String protocol, String key, String scope, Set<String> features, String node) {
        /** Copies the features. */
        public Peer {
            features = Set.copyOf(features);
        }
    }

    /**
     * A stored row for a peer.
     *
     * @param rowId the row's id in the protocol's table: letters, digits, {@code . _ -}, at most 150 characters
     * @param key the key of the peer it is for (on the receiving side: a key registered on this node)
     */
    record Route(String rowId, String key) {
    }

    /** What a protocol hears, on the cluster's one events thread, in the order things happened; keep it short. */
    interface Listener {
        /**
         * Stored rows for peers registered on this node (a notice named them; another node may have named them too,
         * so claim a row before delivering it).
         *
         * @param purpose the purpose word the sender gave
         * @param routes the rows, in the order they were routed, each with its local recipient's key
         */
        default void rows(String purpose, List<Route> routes) {
        }

        /**
         * A key registered on another node (new, or moved there from a third node or from nowhere).
         *
         * @param peer the registration
         */
        default void joined(Peer peer) {
        }

        /**
         * A key left another node: unregistered there, or that node stopped or was reaped as dead.
         *
         * @param peer the registration that is gone
         * @param nodeDown whether its node is gone (stopped or reaped) rather than the key unregistered
         */
        default void left(Peer peer, boolean nodeDown) {
        }

        /**
         * A key registered on this node registered on another node: close its connection here as a takeover on one
         * node does; its row is the other node's already (unregistering it here does nothing).
         *
         * @param key the key
         */
        default void takenOver(String key) {
        }

        /**
         * Notices may have been missed (a LISTEN gap, or the events queue overflowed), or rows were named to a node
         * that died (called after its {@link #left} calls): re-check from the tables.
         */
        default void resync() {
        }
    }

    /**
     * Whether other nodes may exist.
     *
     * @return {@code false} for {@link #ALONE}
     */
    default boolean clustered() {
        return false;
    }

    /**
     * This node's id.
     *
     * @return the id; "local" alone
     */
    default String nodeId() {
        return "local";
    }

    /**
     * Sets the listener of a protocol (one per protocol), before the protocol serves.
     *
     * @param protocol the protocol
     * @param listener its listener
     */
    default void listen(String protocol, Listener listener) {
    }

    /**
     * Registers a key on this node (the database round trip happens here: call it where a registration may
     * wait). A registration on another node is taken over: that node hears {@link Listener#takenOver}.
     *
     * @param protocol the protocol
     * @param key the key, at most {@value ClusterPresence#MAX_KEY_CHARS} characters
     * @param scope the L2PS network, '' for none
     * @param features the extensions negotiated
     * @return the node it was registered on before, if another one
     * @throws ClusterUnavailableException if the database cannot be reached
     * @throws IllegalArgumentException for a key, scope or feature over its bound
     */
    default Optional<String> register(String protocol, String key, String scope, Set<String> features) {
        return Optional.empty();
    }

    /**
     * Removes a key's registration if it is still this node's; other nodes hear {@link Listener#left}. Failures
     * are logged, not thrown (a connection's close cannot fail): a row left behind goes with this node's lease.
     *
     * @param protocol the protocol
     * @param key the key
     */
    default void unregister(String protocol, String key) {
    }

    /**
     * Where a key is registered, from this node's cache (kept by notices: it may lag a registration elsewhere by
     * the notice's trip, so a sender that misses a fresh one routes with {@link #ANY}).
     *
     * @param protocol the protocol
     * @param key the key
     * @return its registration on another node; empty when it is on none, or on this one
     */
    default Optional<Peer> remote(String protocol, String key) {
        return Optional.empty();
    }

    /**
     * The keys registered on other nodes in a scope, from the cache, in no particular order.
     *
     * @param protocol the protocol
     * @param scope the scope
     * @return their registrations
     */
    default List<Peer> remotePeers(String protocol, String scope) {
        return List.of();
    }

    /** The node value of {@link #route} that asks every node (the one whose peer a row is for claims it). */
    String ANY = "any";

    /**
     * Tells a node that stored rows are there for its peers, after they are committed; batched with other
     * routes into few notices, sent from a thread of the cluster's (never waits for the database). A route to
     * this node, or to a recipient registered nowhere now, is dropped: rows must stay deliverable by a drain.
     *
     * @param node the node the recipients are on, or {@link #ANY}
     * @param protocol the protocol
     * @param purpose a lower-case word the listener receives (e.g. "deliver", "status")
     * @param routes the rows, each with its recipient's key
     */
    default void route(String node, String protocol, String purpose, List<Route> routes) {
    }

    @Override
    default void close() {
    }
}
