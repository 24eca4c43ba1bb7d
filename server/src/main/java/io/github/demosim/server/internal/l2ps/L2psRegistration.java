package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.ChallengeResponse;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.cluster.ClusterUnavailableException;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.StoreException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * {@code register} (l2ps.md §5.1–5.3): the key's format, the proof, the network, binding the key to the socket,
 * {@code registered} and {@code peer_joined}, then the offline drain; and the {@code challenge} it may sign.
 */
final class L2psRegistration {
    private static final System.Logger LOG = System.getLogger(L2psRegistration.class.getName());
    private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");
    private static final Pattern UID = Pattern.compile("^[A-Za-z0-9_-]+$");
    private static final int KEM_PUBLIC_KEY_BYTES = 1184;

    private final L2psContext x;
    private final L2psPresence presence;
    private final ServerChallenges challenges;

    L2psRegistration(L2psContext context, L2psPresence presence, ServerChallenges challenges) {
        this.x = context;
        this.presence = presence;
        this.challenges = challenges;
    }


    void register(L2psRequest r) {
        JsonValue pk = r.get(Received.PUBLIC_KEY);
        JsonValue uid = r.get(Received.L2PS_UID);
        JsonValue proof = r.get(Received.PROOF);
        if (!JsValues.truthy(pk) || !JsValues.truthy(uid) || !JsValues.truthy(proof)) {
            r.error("INVALID_MESSAGE", "Missing publicKey, l2psUid, or proof");
            return;
        }
        // Non-string keys are refused here in both modes (the reference would fail later, in the verifier).
        if (!(pk instanceof JsonValue.JsonString pks) || !x.rules.keyLengthAccepted(pks.value().length())
                || !HEX.matcher(pks.value()).matches()) {
            r.error("INVALID_MESSAGE", "Invalid publicKey format (expected hex)");
            return;
        }
        String key = pks.value();
        Set<String> features = Set.of();
        String kemKey = null;
        if (x.rules.extensions()) {
            features = requestedFeatures(r.get(Received.FEATURES));
            JsonValue kem = r.get(Received.KEM_PUBLIC_KEY);
            if (kem != null && !(kem instanceof JsonValue.JsonNull)) {
                kemKey = validKemKey(kem);
                if (kemKey == null) {
                    r.error("INVALID_MESSAGE", "Invalid kemPublicKey (expected base64 of a " + KEM_PUBLIC_KEY_BYTES
                            + "-byte ML-KEM-768 public key)");
                    return;
                }
            }
        }
        String uidText = JsValues.toJsString(uid);
        boolean hosted = uid instanceof JsonValue.JsonString us && UID.matcher(us.value()).matches()
                && x.config.l2psUids().contains(us.value());
        String proofMessage = "register:" + key + ":" + JsValues.toJsString(r.timestamp());
        boolean bound = features.contains(ServerChallenges.FEATURE);
        if (bound) {
            String nonce = r.session.takeChallenge();
            if (nonce == null) {
                r.error("INVALID_PROOF", ServerChallenges.NO_CHALLENGE);
                return;
            }
            proofMessage = ServerChallenges.proofMessage(key, uidText, JsValues.toJsString(r.timestamp()), nonce);
        } else if (x.config.requireServerBoundProof()) {
            r.error("INVALID_PROOF", ServerChallenges.REQUIRED);
            return;
        }
        if (x.rules.networkBeforeProof() && !hosted) {
            // REF (§5.1 step 3, B15): the network lookup precedes the signature check.
            r.error("L2PS_NOT_FOUND", "L2PS network " + uidText + " not found");
            return;
        }
        L2psProofs.Check check = x.proofs.verify(key, proofMessage, proof);
        if (check instanceof L2psProofs.Invalid) {
            r.error("INVALID_PROOF", "Signature verification failed");
            return;
        }
        if (check instanceof L2psProofs.Broken b) {
            r.error("INVALID_PROOF", "Proof verification error: " + b.detail());
            return;
        }
        if (x.proofs.refusedAsStale(r)) {
            return;
        }
        if (!x.rules.networkBeforeProof() && !hosted) {
            r.error("L2PS_NOT_FOUND", "L2PS network " + uidText + " not found");
            return;
        }
        // A bound proof signs a nonce good for one register on one connection: it cannot be used twice.
        if (x.rules.freshProofs() && !bound && !x.proofs.firstUse(key, proofMessage, r.timestamp())) {
            r.error("INVALID_PROOF", "Proof already used");
            return;
        }
        bindAndWelcome(r, key, ((JsonValue.JsonString) uid).value(), features, kemKey);
    }

    private Set<String> requestedFeatures(JsonValue requested) {
        Set<String> out = new LinkedHashSet<>();
        if (requested instanceof JsonValue.JsonArray a) {
            for (JsonValue v : a.elements()) {
                v.asString().filter(x.rules.offeredFeatures()::contains).ifPresent(out::add);
            }
        }
        return out;
    }

    private static String validKemKey(JsonValue kem) {
        if (!(kem instanceof JsonValue.JsonString s)) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(s.value());
            return bytes.length == KEM_PUBLIC_KEY_BYTES ? Base64.getEncoder().encodeToString(bytes) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void bindAndWelcome(L2psRequest r, String key, String uid, Set<String> features, String kemKey) {
        Connection c = r.connection;
        L2psSession s = r.session;
        try {
            // docs/cluster.md: the row first, so a send on another node that sees it routes here; a row for this
            // key that a notice names before the bind below stays queued for the drain this registration starts.
            // A registration on another node is taken over: that node closes its connection.
            if (x.cluster.clustered()) {
                // l2ps.md §6.2 keeps the per-sender counter in memory; on a cluster it lives on the sender's node, so
                // a sender moving to this node (failover, or a hop to start again from 0) brings what it still has
                // queued. Drains reset it as before (the counter is "per drain", B7).
                x.quota.atLeast(key, x.store.queuedFrom(key, uid));
            }
            x.cluster.register(L2psProtocol.PROTOCOL, key, uid, features);
        } catch (ClusterUnavailableException | StoreException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": registration failed: " + e.getMessage());
            r.error("INTERNAL_ERROR", "Internal server error");
            return;
        }
        ReentrantLock lock = x.locks.of(key);
        L2psDelivery.Drain drain;
        lock.lock();
        try {
            L2psRegistry.Entry old = x.registry.get(key);
            String previousKey = s.publicKey();
            String previousUid = s.l2psUid();
            boolean sameBinding = old != null && old.connection() == c && uid.equals(old.l2psUid());
            // Bind first, close the previous socket after: its close event then finds the key bound elsewhere
            // and is ignored as stale, as on the node, where the close event always comes after the bind.
            s.bind(key, uid, features);
            x.registry.put(new L2psRegistry.Entry(key, uid, c, x.clock.getAsLong(), features));
            if (x.rules.cleanRebinding()) {
                if (old != null && old.connection() != c) {
                    old.connection().close(4000, "replaced by a newer registration of this key");
                    if (!old.l2psUid().equals(uid)) {
                        // Fixes B18: the old network learns that the key left it.
                        presence.broadcastPeerLeft(key, old.l2psUid(), old.connection());
                    }
                }
                if (previousKey != null && !previousKey.equals(key) && x.registry.removeIfConnection(previousKey, c)) {
                    presence.broadcastPeerLeft(previousKey, previousUid, c); // fixes B4: no ghost of the previous key
                    x.cluster.unregister(L2psProtocol.PROTOCOL, previousKey);
                }
                if (old != null && old.connection() == c && !sameBinding) {
                    presence.broadcastPeerLeft(key, old.l2psUid(), c); // same key, same socket, network switch
                }
            } else if (old != null) {
                // REF (§5.3): close the previous socket of this key, even when it is this very socket (B3).
                old.connection().closePlain();
            }
            if (kemKey != null) {
                // the client extensions its peers need to know of are published with the key
                x.store.publishKemKey(key, uid, kemKey, features.contains(L2psProtocol.FEATURE_ENVELOPE)
                        ? List.of(L2psProtocol.FEATURE_ENVELOPE) : List.of(), x.clock.getAsLong());
            }
            List<String> onlinePeers = new ArrayList<>();
            List<L2psRegistry.Entry> peers = new ArrayList<>();
            for (L2psRegistry.Entry e : x.registry.inNetwork(uid)) {
                if (!e.publicKey().equals(key)) {
                    onlinePeers.add(e.publicKey());
                    peers.add(e);
                }
            }
            presence.addRemote(onlinePeers, uid);
            List<String> offered = x.rules.offeredFeatures(); // an empty list is not written
            r.reply((at, id) -> new Registered(true, key, uid, onlinePeers, offered, at, id));
            c.authenticated();
            LOG.log(System.Logger.Level.DEBUG, "{0} registered {1} in {2}", c, key, uid);
            if (!(x.rules.cleanRebinding() && sameBinding)) {
                String joined = x.reply.frame((at, id) -> new PeerJoined(key, at, id), null);
                for (L2psRegistry.Entry peer : peers) {
                    peer.connection().send(joined);
                }
            }
            // A send to this key takes its lock: it queued its message before this point, or it finds the drain
            // and its live frame waits behind it. §5.1 step 10: a drain failure follows `registered`.
            drain = x.deliveries.drain(c, s, key, uid, c.hold(),
                    e -> r.error("INTERNAL_ERROR", "Internal server error"));
        } finally {
            lock.unlock();
        }
        // §6.1, a page at a time; the connection's next frame waits for its end (hardened). The queue follows
        // `registered`, which follows the answers of this connection's earlier (pipelined) sends.
        CompletableFuture<Void> after = r.passed();
        if (after.isDone()) {
            drain.start();
        } else {
            L2psDelivery.Drain d = drain;
            after.thenRunAsync(d::start, x.workers); // start() reads a page: off the thread that handed it on
        }
    }

    /** Extension server_challenge: a nonce for this connection's next register (docs/server.md). */
    void challenge(L2psRequest r) {
        String nonce = challenges.newNonce();
        r.session.challenge(nonce);
        r.reply((at, id) -> new ChallengeResponse(nonce, at, id));
    }
}
