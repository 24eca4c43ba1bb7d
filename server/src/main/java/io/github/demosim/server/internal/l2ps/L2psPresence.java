package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.MessageStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Who is online (l2ps.md §8): {@code discover}, {@code request_public_key}, {@code peer_left} and the close. */
final class L2psPresence {
    private static final System.Logger LOG = System.getLogger(L2psPresence.class.getName());

    private final L2psContext x;

    L2psPresence(L2psContext context) {
        this.x = context;
    }

    void discover(L2psRequest r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null || uid == null) {
            r.error("REGISTRATION_REQUIRED", "Register before discovering peers");
            return;
        }
        List<String> peers = new ArrayList<>();
        x.registry.inNetwork(uid).forEach(e -> peers.add(e.publicKey()));
        addRemote(peers, uid); // peers on every node (docs/cluster.md)
        r.reply((at, id) -> new DiscoverResponse(peers, at, id));
    }

    void requestPublicKey(L2psRequest r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before requesting public keys");
            return;
        }
        JsonValue target = r.get(Received.TARGET_ID);
        if (!JsValues.truthy(target)) {
            r.error("INVALID_MESSAGE", "Missing targetId");
            return;
        }
        String found = null;
        if (target instanceof JsonValue.JsonString t) {
            L2psRegistry.Entry e = x.registry.get(t.value());
            if (e != null && e.l2psUid().equals(uid)) {
                found = e.publicKey();
            } else if (x.cluster.remote(L2psProtocol.PROTOCOL, t.value()).filter(p -> p.scope().equals(uid))
                    .isPresent()) {
                found = t.value(); // registered on another node of the cluster
            }
        }
        String publicKey = found;
        // The target is echoed as sent (REF: a number stays a number).
        FrameEncoder.Verbatim echoed = FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.TARGET_ID, target);
        if (x.rules.keyDirectory() && r.session.has(L2psProtocol.FEATURE_KEY_DIRECTORY)) {
            MessageStore.KemKeyEntry entry = target instanceof JsonValue.JsonString t
                    ? x.store.kemKey(t.value(), uid).orElse(null) : null;
            if (entry == null) {
                // docs/server.md: the member is there, null, for a client that asked and no key is known
                echoed = echoed.and(FrameEncoder.Verbatim.KEM_PUBLIC_KEY, JsonValue.nullValue());
            }
            String kem = entry == null ? null : entry.kemPublicKey();
            List<String> features = entry == null ? List.of() : entry.features();
            r.reply((at, id) -> new PublicKeyResponse(JsValues.toJsString(target), publicKey, kem, features, at, id),
                    echoed);
            return;
        }
        r.reply((at, id) -> new PublicKeyResponse(JsValues.toJsString(target), publicKey, null, at, id), echoed);
    }

    /** Adds the keys registered in a network on other nodes, after the local ones and without repeating one. */
    void addRemote(List<String> peers, String uid) {
        if (!x.cluster.clustered()) {
            return;
        }
        Set<String> seen = new HashSet<>(peers);
        for (ClusterRouting.Peer p : x.cluster.remotePeers(L2psProtocol.PROTOCOL, uid)) {
            if (seen.add(p.key())) {
                peers.add(p.key());
            }
        }
    }

    /** Tells a network that a key left; the connection it left from is not told. */
    void broadcastPeerLeft(String key, String uid, Connection from) {
        if (x.stopping()) {
            return;
        }
        String left = x.reply.frame((at, id) -> new PeerLeft(key, at, id), null);
        for (L2psRegistry.Entry e : x.registry.inNetwork(uid)) {
            if (!e.publicKey().equals(key) && e.connection() != from) {
                e.connection().send(left);
            }
        }
    }

    /** A socket closed: its key leaves its network (§8). */
    void closed(Connection c) {
        L2psSession s = c.state(L2psSession.class);
        if (s == null || x.stopping()) {
            return;
        }
        String key = s.publicKey();
        if (key == null) {
            return;
        }
        if (x.registry.removeIfConnection(key, c)) {
            broadcastPeerLeft(key, s.l2psUid(), c);
            x.cluster.unregister(L2psProtocol.PROTOCOL, key); // only if still this node's: the others hear `left`
            LOG.log(System.Logger.Level.DEBUG, "{0} left: {1}", c, key);
        }
        if (x.rules.removesGhosts()) {
            for (L2psRegistry.Entry ghost : x.registry.removeAll(c)) {
                broadcastPeerLeft(ghost.publicKey(), ghost.l2psUid(), c);
                x.cluster.unregister(L2psProtocol.PROTOCOL, ghost.publicKey());
            }
        }
    }
}
