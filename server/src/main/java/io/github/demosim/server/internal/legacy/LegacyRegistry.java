package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.internal.net.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy peer table: client id -> {socket, public key as received} (legacy-and-crypto.md §A.4). Keys are
 * the JSON values the clients sent (a JavaScript {@code Map} keyed by the parsed value), {@code null} standing
 * for a missing {@code clientId} ({@code undefined}); lookups by socket return the first match.
 */
final class LegacyRegistry {

    /** A client id: the parsed JSON value, or {@code null} for {@code undefined}. */
    record ClientId(JsonValue value) {
    }

    /** One registered peer. */
    record Peer(ClientId id, JsonValue publicKey, Connection connection) {
    }

    private final Map<ClientId, Peer> peers = new LinkedHashMap<>();

    synchronized int size() {
        return peers.size();
    }

    synchronized boolean contains(ClientId id) {
        return peers.containsKey(id);
    }

    synchronized Peer get(ClientId id) {
        return peers.get(id);
    }

    synchronized void put(Peer peer) {
        peers.put(peer.id(), peer);
    }

    synchronized boolean putIfAbsent(Peer peer) {
        return peers.putIfAbsent(peer.id(), peer) == null;
    }

    /** Removes a peer if its id is still bound to it; returns whether it was. */
    synchronized boolean remove(Peer peer) {
        return peers.remove(peer.id(), peer);
    }

    /** The first peer bound to a socket, as the reference's scan finds it. */
    synchronized Peer bySocket(Connection c) {
        for (Peer p : peers.values()) {
            if (p.connection() == c) {
                return p;
            }
        }
        return null;
    }

    /** Removes the first peer bound to a socket, as the reference's close handler does; returns it, if any. */
    synchronized List<Peer> removeFirst(Connection c) {
        Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            Peer p = it.next();
            if (p.connection() == c) {
                it.remove();
                return List.of(p);
            }
        }
        return List.of();
    }

    /** Removes every peer bound to a socket, in registration order. */
    synchronized List<Peer> removeAll(Connection c) {
        List<Peer> removed = new ArrayList<>();
        Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            Peer p = it.next();
            if (p.connection() == c) {
                it.remove();
                removed.add(p);
            }
        }
        return removed;
    }

    synchronized List<Peer> all() {
        return new ArrayList<>(peers.values());
    }

    synchronized void clear() {
        peers.clear();
    }
}
