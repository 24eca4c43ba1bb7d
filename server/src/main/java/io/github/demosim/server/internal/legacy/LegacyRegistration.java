package io.github.demosim.server.internal.legacy;

import static io.github.demosim.server.internal.legacy.LegacyContext.id;
import static io.github.demosim.server.internal.legacy.LegacyContext.idText;
import static io.github.demosim.server.internal.legacy.LegacyContext.send;

import io.github.demosim.Bytes;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.RateLimits;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.net.Connection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code register} (legacy-and-crypto.md §A.5, §A.6 4.register): the schema, the key, the proof, the id, then the
 * offline drain (§A.8).
 */
final class LegacyRegistration {
    private static final System.Logger LOG = System.getLogger(LegacyRegistration.class.getName());
    private static final int ML_KEM_768_PUBLIC_KEY_BYTES = 1184;

    private final LegacyContext x;

    LegacyRegistration(LegacyContext context) {
        this.x = context;
    }

    void register(Connection c, JsonValue frame) {
        JsonValue clientId = Received.at(frame, Received.CLIENT_ID);
        JsonValue publicKey = Received.at(frame, Received.PUBLIC_KEY);
        JsonValue verification = Received.at(frame, Received.VERIFICATION);
        if (!JsValues.truthy(clientId) || !JsValues.truthy(publicKey) || !JsValues.truthy(verification)) {
            x.error(c, "INVALID_MESSAGE", "Invalid message schema");
            if (x.rules.stopsAtFirstError()) {
                return;
            }
            // REF (C.1 #2): no return here; the checks below usually add a second error.
        }
        if (x.rules.stringClientIds() && !(clientId instanceof JsonValue.JsonString)) {
            x.error(c, "INVALID_MESSAGE", "Invalid message schema");
            return;
        }
        LegacyRegistry.ClientId id = new LegacyRegistry.ClientId(clientId);
        if (x.registry.contains(id)) {
            x.error(c, "CLIENT_ID_TAKEN", "Client ID " + JsValues.toJsString(clientId) + " is already taken");
            return;
        }
        byte[] kemKey = null;
        if (x.rules.verifiesKeyInProof()) {
            kemKey = LegacyValues.byteArray(publicKey);
            if (kemKey == null || kemKey.length != ML_KEM_768_PUBLIC_KEY_BYTES) {
                x.error(c, "INVALID_PUBLIC_KEY", "Invalid public key format");
                return;
            }
        } else {
            Optional<Long> length = LegacyValues.typedArrayLength(publicKey);
            if (length.isEmpty()) {
                x.error(c, "INTERNAL_ERROR", "Failed to complete registration"); // RangeError in the reference
                return;
            }
            if (length.get() == 0) {
                x.error(c, "INVALID_PUBLIC_KEY", "Invalid public key format");
                return;
            }
        }
        SignedObject proof = Received.signedObject(verification);
        if (proof == null) {
            x.error(c, "INTERNAL_ERROR", "Failed to complete registration");
            return;
        }
        boolean valid;
        try {
            valid = x.crypto.verifyLegacyRegistration(proof, kemKey == null ? null : Bytes.of(kemKey));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: legacy proof could not be verified: {1}", c, e.getMessage());
            x.error(c, "INTERNAL_ERROR", "Failed to complete registration");
            return;
        }
        if (!valid) {
            x.error(c, "INVALID_PROOF", "Invalid proof");
            return;
        }
        LegacyRegistry.Peer peer = new LegacyRegistry.Peer(id, publicKey, c);
        if (x.rules.claimsIds()
                && !x.owners.claim(((JsonValue.JsonString) clientId).value(), proof)) { // C.1 #9: the id is bound
            x.error(c, "CLIENT_ID_TAKEN", LegacyIdOwners.refusal(JsValues.toJsString(clientId)));
            return;
        }
        String recipientId = JsValues.toJsString(clientId);
        // §A.8: a queue is delivered only right after a register. A message routed to this id decides "offline"
        // and stores its row under this id's lock (LegacyMessaging), so the row exists before the drain below
        // reads the queue, or the message sees this peer online; never stored after the read, to wait for the
        // next registration. The drain starts after the lock is released (KeyedLocks: no lock over socket waits).
        ReentrantLock lock = x.locks.of(recipientId);
        lock.lock();
        try {
            if (x.rules.claimsIds() && x.registry.contains(id)) {
                x.error(c, "CLIENT_ID_TAKEN", "Client ID " + recipientId + " is already taken");
                return;
            }
            if (!x.cluster.share(c, clientId, publicKey, x.rules.claimsIds() ? LegacyClientFeatures.announced(
                    Received.at(frame, Received.FEATURES)) : List.of())) {
                x.error(c, "INTERNAL_ERROR", "Failed to complete registration");
                return;
            }
            if (x.rules.claimsIds()) {
                if (!x.registry.putIfAbsent(peer)) {
                    x.error(c, "CLIENT_ID_TAKEN", "Client ID " + recipientId + " is already taken");
                    return;
                }
                x.clientFeatures.registered(c, Received.at(frame, Received.FEATURES));
            } else {
                x.registry.put(peer); // REF (C.1 #3): a concurrent registration of the same id overwrites
            }
            // queued under the lock, so it goes out before any live message a sender routes here once we let go
            send(c, new RegisterAck(true, idText(clientId)), id(FrameEncoder.Verbatim.CLIENT_ID, clientId));
        } finally {
            lock.unlock();
        }
        c.authenticated();
        if (limiter(c) != null) {
            limiter(c).registered("legacy:" + JsValues.toJsString(clientId));
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} registered legacy client {1}", c, JsValues.toJsString(clientId));
        x.deliveries.registered(c, recipientId);
    }

    private static RateLimits.FrameLimiter limiter(Connection c) {
        return c.state(RateLimits.FrameLimiter.class);
    }
}
