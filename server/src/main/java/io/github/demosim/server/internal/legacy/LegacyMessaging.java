package io.github.demosim.server.internal.legacy;

import static io.github.demosim.server.internal.legacy.LegacyContext.id;
import static io.github.demosim.server.internal.legacy.LegacyContext.idText;
import static io.github.demosim.server.internal.legacy.LegacyContext.send;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.MessageQueued;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.internal.wire.Stringify;
import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.OfflineQueueBound;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.CanonicalJson;
import io.github.demosim.server.internal.json.JsHex;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.LegacyOfflineRow;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code message} (legacy-and-crypto.md §A.6, §A.8): written to an online target, else stored for it, signed by the
 * node, within the sender's offline quota; each recorded with the submission policy.
 */
final class LegacyMessaging {
    private static final System.Logger LOG = System.getLogger(LegacyMessaging.class.getName());
    private static final String PROTOCOL = LegacyProtocol.PROTOCOL;

    private final LegacyContext x;
    private final byte[] nodeSeed;
    private final Object offlineLock = new Object();

    LegacyMessaging(LegacyContext context, byte[] nodeSeed) {
        this.x = context;
        this.nodeSeed = nodeSeed.clone();
    }

    void message(Connection c, JsonValue frame) {
        JsonValue targetId = Received.at(frame, Received.TARGET_ID);
        JsonValue message = Received.at(frame, Received.MESSAGE);
        if (!JsValues.truthy(targetId) || !JsValues.truthy(message)) {
            x.error(c, "INVALID_MESSAGE", "Missing required message fields");
            return;
        }
        LegacyRegistry.Peer sender = x.registry.bySocket(c);
        if (sender == null) {
            x.error(c, "REGISTRATION_REQUIRED", "You must register before sending messages");
            return;
        }
        try {
            String senderText = JsValues.toJsString(sender.id().value());
            String targetText = JsValues.toJsString(targetId);
            LegacyRegistry.Peer target;
            LegacyOfflineRow stored = null;
            String remoteNode = null;
            // §A.8: "offline" is decided and the row stored under the target id's lock, the one its registration
            // takes over its registry entry; the registration's drain reads the queue after that. So a target
            // registering meanwhile either is seen online here or finds the row in its drain. Not a re-check after
            // the store: a second drain started from here could run beside the registration's own and hand the
            // same pending row twice. Only registry and database work is done under the lock (KeyedLocks).
            ReentrantLock lock = x.locks.of(targetText);
            lock.lock();
            try {
                target = x.registry.get(new LegacyRegistry.ClientId(targetId));
                if (x.rules.closingIsOffline() && target != null && !target.connection().isOpen()) {
                    target = null; // its socket is closing: store the message rather than write it into the void
                }
                if (target == null) {
                    // online on another node of the cluster: stored (not counted against the offline quota) and
                    // announced to that node, which delivers it live (docs/cluster.md)
                    remoteNode = x.cluster.remote(targetId).map(ClusterRouting.Peer::node).orElse(null);
                    stored = storeOffline(c, sender, senderText, targetId, targetText, message, remoteNode == null);
                    if (stored == null) {
                        return; // refused, and the sender told why
                    }
                }
            } finally {
                lock.unlock();
            }
            if (target != null) {
                if (chainRefuses(new SubmissionPolicy.LegacyMessage(senderText, targetText, true))) {
                    x.error(c, "INTERNAL_ERROR", "Failed to store message");
                    return;
                }
                JsonValue from = sender.id().value();
                send(target.connection(), new IncomingMessage(message, idText(from), null),
                        id(FrameEncoder.Verbatim.FROM_ID, from));
                x.metrics.accepted(PROTOCOL);
                x.metrics.deliveredLive(PROTOCOL);
                return;
            }
            if (remoteNode != null) {
                if (chainRefuses(new SubmissionPolicy.LegacyMessage(senderText, targetText, true))) {
                    x.store.deleteLegacyOffline(stored.id());
                    x.error(c, "INTERNAL_ERROR", "Failed to store message");
                    return;
                }
                x.cluster.announce(remoteNode, LegacyCluster.LIVE, stored.id(), targetId);
                x.metrics.accepted(PROTOCOL);
                return; // §A.8: an online target's sender gets nothing
            }
            if (queued(c, stored, senderText, targetId, targetText)) {
                // offline as far as this node knows; a registration on another node may be in flight
                x.cluster.announce(ClusterRouting.ANY, LegacyCluster.QUEUED, stored.id(), targetId);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": routing failed", e);
            x.error(c, "INTERNAL_ERROR", "Failed to route message");
        }
    }

    /**
     * Stores a message for an offline target, or ({@code offline} false) for a target online on another node;
     * {@code null} if refused (the sender was told).
     */
    private LegacyOfflineRow storeOffline(Connection c, LegacyRegistry.Peer sender, String senderText,
            JsonValue targetId, String targetText, JsonValue message, boolean offline) {
        if (x.store.diskReserveReached()) {
            x.metrics.refused(PROTOCOL, ServerMetrics.DISK_RESERVE);
            x.error(c, "INTERNAL_ERROR", OfflineQueueBound.STORAGE_FULL);
            return null;
        }
        synchronized (offlineLock) { // the reference's storage mutex
            if (offline && !x.quota.tryReserve(senderText)) {
                x.metrics.refused(PROTOCOL, ServerMetrics.OFFLINE_QUOTA);
                x.error(c, "INTERNAL_ERROR",
                        "Offline message limit reached (100 messages). Please wait for recipient to come online.");
                return null;
            }
            String content = Stringify.write(message); // relayed as stored (RawJson), in the frames' own writing
            if (!OfflineQueueBound.hasRoom(x.config.limits(), x.store.pendingLegacyUsage(targetText), targetText,
                    senderText, content)) {
                x.quota.release(senderText, offline ? 1 : 0);
                x.error(c, "INTERNAL_ERROR", OfflineQueueBound.LEGACY_FULL);
                return null;
            }
            long now = x.clock.getAsLong();
            StringBuilder hashText = new StringBuilder("{\"message\":");
            CanonicalJson.write(message, hashText);
            if (sender.id().value() != null) { // JSON.stringify drops an undefined member
                hashText.append(",\"senderId\":");
                CanonicalJson.write(sender.id().value(), hashText);
            }
            hashText.append(",\"targetId\":");
            CanonicalJson.write(targetId, hashText);
            hashText.append(",\"timestamp\":").append(now).append('}');
            String hash = JsHex.encode(x.crypto.sha256(hashText.toString().getBytes(StandardCharsets.UTF_8)));
            String signature = Base64.getEncoder().encodeToString(
                    x.crypto.ed25519Sign(nodeSeed, hash.getBytes(StandardCharsets.UTF_8)));
            try {
                return x.store.insertLegacyOffline(new LegacyOfflineRow(0, targetText, senderText, hash,
                        content, signature, now));
            } catch (RuntimeException e) {
                x.quota.release(senderText, offline ? 1 : 0);
                LOG.log(System.Logger.Level.WARNING, c + ": offline message not stored", e);
                x.error(c, "INTERNAL_ERROR", "Failed to store offline message");
                return null;
            }
        }
    }

    /** §A.8 offline steps 2 and 3, once the row is stored: the chain record, then {@code message_queued}. */
    private boolean queued(Connection c, LegacyOfflineRow stored, String senderText, JsonValue targetId,
            String targetText) {
        if (chainRefuses(new SubmissionPolicy.LegacyMessage(senderText, targetText, false))) {
            x.store.deleteLegacyOffline(stored.id());
            x.quota.release(senderText, 1);
            x.error(c, "INTERNAL_ERROR", "Failed to store offline message");
            return false;
        }
        x.metrics.accepted(PROTOCOL);
        x.metrics.queued(PROTOCOL);
        send(c, new MessageQueued(targetText, "offline", "Message stored for offline delivery"),
                id(FrameEncoder.Verbatim.TARGET_ID, targetId));
        return true;
    }

    private boolean chainRefuses(SubmissionPolicy.LegacyMessage m) {
        Optional<String> refusal;
        try {
            refusal = x.policy.recordLegacyMessage(m);
        } catch (RuntimeException e) {
            refusal = Optional.of(String.valueOf(e.getMessage()));
        }
        refusal.ifPresent(reason -> LOG.log(System.Logger.Level.WARNING, "legacy chain write refused: {0}", reason));
        return refusal.isPresent();
    }
}
