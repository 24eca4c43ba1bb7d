package io.github.demosim.server.internal.l2ps;

import io.github.demosim.L2psStatus;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.KeyedLocks;
import io.github.demosim.server.internal.OfflineQueueBound;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.DuplicateKeyException;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.PipelineState;
import io.github.demosim.spi.FrameCodec;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@code send} (l2ps.md §5.4): validation, deduplication, the offline quota, storage, the submission policy, and
 * live delivery or the queue ({@link L2psDelivery} writes, drains and redelivers); and the hardened {@code ack}.
 */
final class L2psSend {
    private static final String PROTOCOL = L2psProtocol.PROTOCOL;

    private final L2psRules rules;
    private final ServerConfig config;
    private final FrameCodec codec;
    private final MessageStore store;
    private final L2psHashes hashes;
    private final SubmissionPolicy policy;
    private final LongSupplier clock;
    private final L2psRegistry registry;
    private final OfflineQuota quota;
    private final KeyedLocks locks;
    private final ConversationClock conversationClock;
    private final L2psDelivery deliveries;
    private final ServerMetrics metrics;

    L2psSend(L2psContext x) {
        this.rules = x.rules;
        this.config = x.config;
        this.codec = x.codec;
        this.store = x.store;
        this.hashes = x.hashes;
        this.policy = x.policy;
        this.clock = x.clock;
        this.registry = x.registry;
        this.quota = x.quota;
        this.locks = x.locks;
        this.conversationClock = new ConversationClock(x.store, x.clock);
        this.deliveries = x.deliveries;
        this.metrics = x.metrics;
    }

    void send(L2psRequest r) {
        String me = r.session.publicKey();
        String myUid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before sending");
            return;
        }
        JsonValue to = r.get(Received.TO);
        JsonValue encrypted = r.get(Received.ENCRYPTED);
        JsonValue messageHash = r.get(Received.MESSAGE_HASH);
        if (!JsValues.truthy(to) || !JsValues.truthy(encrypted) || !JsValues.truthy(messageHash)) {
            r.error("INVALID_MESSAGE", "Missing to, encrypted, or messageHash");
            return;
        }
        JsonValue ciphertext = r.get(Received.CIPHERTEXT);
        JsonValue nonce = r.get(Received.NONCE);
        if (!JsValues.truthy(ciphertext) || !JsValues.truthy(nonce)) {
            r.error("INVALID_MESSAGE", "Encrypted payload must have ciphertext and nonce");
            return;
        }
        if (rules.stringSendMembers() && !(to instanceof JsonValue.JsonString
                && messageHash instanceof JsonValue.JsonString && encrypted instanceof JsonValue.JsonObject
                && ciphertext instanceof JsonValue.JsonString && nonce instanceof JsonValue.JsonString)) {
            r.error("INVALID_MESSAGE", "Invalid send payload: to, messageHash, encrypted.ciphertext and "
                    + "encrypted.nonce must be strings");
            return;
        }
        if (JsValues.length(ciphertext).orElse(0) > ServerConfig.L2PS_MAX_CIPHERTEXT_CHARS) {
            r.error("INVALID_MESSAGE", "Ciphertext too large (max 131072 bytes)");
            return;
        }
        if (to instanceof JsonValue.JsonString ts && ts.value().equals(me)) {
            r.error("INVALID_MESSAGE", "Cannot send message to yourself");
            return;
        }
        String toKey = JsValues.toJsString(to);
        String hash = JsValues.toJsString(messageHash);
        ReentrantLock lock = locks.of(toKey);
        lock.lock();
        try {
            deliverNew(r, me, myUid, toKey, encrypted, hash);
        } finally {
            lock.unlock();
        }
    }

    private void deliverNew(L2psRequest r, String me, String myUid, String toKey, JsonValue encrypted, String hash) {
        // §5.4 step 3: the online snapshot is taken before any storage work.
        L2psRegistry.Entry recipient = registry.get(toKey);
        // A recipient whose connection is being closed (it stopped reading, docs/server.md "Limits") is offline
        // already: its message is queued for the next registration instead of written behind the close frame.
        boolean online = recipient != null && recipient.l2psUid().equals(myUid) && recipient.connection().isOpen();
        Optional<L2psMessageRow> existing = store.findByMessageHash(hash);
        if (existing.isPresent()) {
            L2psMessageRow e = existing.get();
            if (rules.idempotentSend() && e.from().equals(me) && e.l2psUid().equals(myUid) && e.to().equals(toKey)) {
                repeatAcknowledgement(r, e); // idempotent send: the original answer again
            } else {
                r.error("L2PS_SUBMIT_FAILED", "Duplicate message");
            }
            return;
        }
        if (!online && !quota.tryReserve(me)) {
            metrics.refused(PROTOCOL, ServerMetrics.OFFLINE_QUOTA);
            r.error("L2PS_SUBMIT_FAILED", "Offline message limit reached");
            return;
        }
        String encryptedJson = codec.write(encrypted);
        if (!online && !OfflineQueueBound.hasRoom(config.limits(), store.undeliveredUsage(toKey, myUid),
                me, toKey, hash, encryptedJson)) {
            quota.release(me, 1);
            r.error("L2PS_SUBMIT_FAILED", OfflineQueueBound.L2PS_FULL);
            return;
        }
        boolean acking = online && rules.extensions() && recipient.features().contains(L2psProtocol.FEATURE_ACK);
        long now = rules.conversationTime() ? conversationClock.next(myUid, me, toKey) : clock.getAsLong();
        String id = UUID.randomUUID().toString();
        DeliveryState delivery = !online ? DeliveryState.QUEUED
                : acking ? DeliveryState.PENDING_ACK : DeliveryState.DELIVERED;
        try {
            store.insert(new L2psMessageRow(id, me, toKey, myUid, hash, encryptedJson, null, now, delivery,
                    !online, PipelineState.PENDING, null, null));
        } catch (DuplicateKeyException e) {
            r.error("L2PS_SUBMIT_FAILED", "Duplicate message"); // insert race; REF leaks the quota slot here
            return;
        }
        String txHash = hashes.transactionHash(myUid, me, toKey, id, hash, encrypted, now);
        Optional<String> refusal;
        try {
            refusal = policy.admitTransaction(new SubmissionPolicy.Transaction(myUid, me, toKey, hash, txHash));
        } catch (RuntimeException e) {
            refusal = Optional.of(String.valueOf(e.getMessage()));
        }
        if (refusal.isPresent()) {
            store.markRejected(id, refusal.get());
            if (!online) {
                quota.release(me, 1);
            }
            r.error("L2PS_SUBMIT_FAILED", refusal.get());
            return;
        }
        store.markAdmitted(id, txHash);
        metrics.accepted(PROTOCOL);
        if (!online) {
            metrics.queued(PROTOCOL);
            r.reply(queuedPayload(hash));
            return;
        }
        CompletableFuture<Void> write = deliveries.writeLive(recipient.connection(),
                deliveries.messageFrame(me, encrypted, hash, false, now));
        if (rules.answersWhenWritten()) {
            // Fixes B6 (3): answered once the recipient's frame is written; if the recipient vanished meanwhile,
            // the message goes back to the queue and the sender hears `message_queued`. No lock, no thread waits.
            deliveries.answerWhenWritten(write, id, r.connection.hold(), () -> {
                metrics.deliveredLive(PROTOCOL);
                r.reply(sentPayload(hash));
            }, () -> {
                metrics.queued(PROTOCOL);
                r.reply(queuedPayload(hash));
            });
            return;
        }
        metrics.deliveredLive(PROTOCOL);
        r.reply(sentPayload(hash));
    }

    private void repeatAcknowledgement(L2psRequest r, L2psMessageRow original) {
        if (original.delivery() == DeliveryState.REJECTED) {
            r.error("L2PS_SUBMIT_FAILED", original.failureReason() == null ? "Unknown error"
                    : original.failureReason());
        } else if (original.viaQueue()) {
            r.reply(queuedPayload(original.messageHash()));
        } else {
            r.reply(sentPayload(original.messageHash()));
        }
    }

    private static L2psReply.Body sentPayload(String hash) {
        return (at, id) -> new MessageSent(hash, L2psStatus.SUBMITTED.wireName(), at, id);
    }

    private static L2psReply.Body queuedPayload(String hash) {
        return (at, id) -> new MessageQueued(hash, L2psStatus.QUEUED.wireName(), at, id);
    }

    void ack(L2psRequest r) {
        String me = r.session.publicKey();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before acknowledging messages");
            return;
        }
        if (!r.session.has(L2psProtocol.FEATURE_ACK)) {
            r.error("INVALID_MESSAGE", "Extension not negotiated: ack (ask for it in register.features)");
            return;
        }
        JsonValue hash = r.get(Received.MESSAGE_HASH);
        if (!(hash instanceof JsonValue.JsonString h) || h.value().isEmpty()) {
            r.error("INVALID_MESSAGE", "Missing messageHash");
            return;
        }
        // No reply: acknowledgements are fire-and-forget, and repeating one is harmless.
        if (store.acknowledge(me, h.value())) {
            metrics.acknowledged(PROTOCOL);
        }
    }
}
