package io.github.demosim.server.internal.legacy;

import static io.github.demosim.server.internal.legacy.LegacyContext.id;
import static io.github.demosim.server.internal.legacy.LegacyContext.idText;
import static io.github.demosim.server.internal.legacy.LegacyContext.send;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.PublicKeyResponse;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.net.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Who is online (legacy-and-crypto.md §A.6, §A.8): {@code discover}, {@code request_public_key}, the debug
 * question, and {@code peer_disconnected} when a socket closes.
 */
final class LegacyPresence {
    private static final System.Logger LOG = System.getLogger(LegacyPresence.class.getName());
    private static final String DEBUG_QUESTION =
            "This is a debug question. What is your favorite programming language?";
    /** The debug question's body: {@code {"text": …}}, a free-form object of the reference (§A.6), not a frame. */
    private static final JsonValue DEBUG_QUESTION_BODY =
            new JsonValue.JsonObject(Map.of("text", JsonValue.of(DEBUG_QUESTION)));

    private final LegacyContext x;

    LegacyPresence(LegacyContext context) {
        this.x = context;
    }

    void discover(Connection c) {
        try {
            List<JsonValue> ids = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (LegacyRegistry.Peer p : x.registry.all()) {
                JsonValue id = p.id().value() == null ? JsonValue.nullValue() : p.id().value();
                ids.add(id);
                texts.add(JsValues.toJsString(id));
            }
            for (String remote : x.cluster.remoteIds()) { // peers on the cluster's other nodes
                ids.add(JsonValue.of(remote));
                texts.add(remote);
            }
            // the ids as they registered (REF: numbers stay numbers, an undefined one is written null)
            send(c, new DiscoverResponse(texts),
                    FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.PEERS, new JsonValue.JsonArray(ids)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": discover failed", e);
            x.error(c, "INTERNAL_ERROR", "Failed to retrieve peer list");
        }
    }

    void requestPublicKey(Connection c, JsonValue frame) {
        JsonValue targetId = Received.at(frame, Received.TARGET_ID);
        if (!JsValues.truthy(targetId)) {
            x.error(c, "INVALID_MESSAGE", "Missing target ID");
            return;
        }
        try {
            LegacyRegistry.Peer target = x.registry.get(new LegacyRegistry.ClientId(targetId));
            if (target == null) {
                if (!remoteKey(c, targetId)) {
                    x.error(c, "PEER_NOT_FOUND", "Target peer " + JsValues.toJsString(targetId) + " not found");
                }
                return;
            }
            // The registered array comes back unchanged; a non-array that passed the length check prints as [].
            JsonValue key = target.publicKey() instanceof JsonValue.JsonArray ? target.publicKey()
                    : new JsonValue.JsonArray(List.of());
            List<String> targetFeatures = x.clientFeatures.of(target.connection());
            // features only to clients that announced extensions (an empty list is not written)
            List<String> features = x.rules.answersFeatures() && !x.clientFeatures.of(c).isEmpty() ? targetFeatures : List.of();
            send(c, new PublicKeyResponse(idText(targetId), key, features),
                    id(FrameEncoder.Verbatim.PEER_ID, targetId));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": public key lookup failed", e);
            x.error(c, "INTERNAL_ERROR", "Failed to retrieve public key");
        }
    }

    /** Answers the key lookup of a peer registered on another node; {@code false} if there is none. */
    private boolean remoteKey(Connection c, JsonValue targetId) {
        Optional<ClusterRouting.Peer> remote = x.cluster.remote(targetId);
        if (remote.isEmpty()) {
            return false;
        }
        Optional<JsonValue> key = x.cluster.remoteKey(remote.get().key());
        if (key.isEmpty()) {
            return false;
        }
        List<String> features = x.rules.answersFeatures() && !x.clientFeatures.of(c).isEmpty()
                ? List.copyOf(new TreeSet<>(remote.get().features())) : List.of();
        send(c, new PublicKeyResponse(idText(targetId), key.get(), features), id(FrameEncoder.Verbatim.PEER_ID, targetId));
        return true;
    }

    void debugQuestion(Connection c) {
        if (x.registry.bySocket(c) == null) {
            x.error(c, "REGISTRATION_REQUIRED", "You must register before sending debug messages");
            return;
        }
        send(c, new ServerQuestion(UUID.randomUUID().toString(), DEBUG_QUESTION_BODY));
    }

    /** A socket closed: its ids leave (§A.8 Disconnect), and everyone online hears {@code peer_disconnected}. */
    void closed(Connection c) {
        x.clientFeatures.closed(c);
        if (x.stopping()) {
            return;
        }
        List<LegacyRegistry.Peer> gone = x.rules.releasesAllIds() ? x.registry.removeAll(c) : x.registry.removeFirst(c);
        for (LegacyRegistry.Peer peer : gone) {
            LOG.log(System.Logger.Level.DEBUG, "{0} legacy client {1} disconnected", c,
                    JsValues.toJsString(peer.id().value()));
            x.deliveries.gone(JsValues.toJsString(peer.id().value()), c);
            x.peerLeft(peer.id().value());
            x.cluster.unshare(peer); // a database round trip: after the peers here were told
        }
    }
}
