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
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.Hold;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.DuplicateKeyException;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.PipelineState;
import io.github.demosim.server.internal.store.QueueUsage;
import io.github.demosim.spi.FrameCodec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@code send} (l2ps.md §5.4): validation, deduplication, the offline quota, storage, the submission policy, and
 * live delivery or the queue ({@link L2psDelivery} writes, drains and redelivers); and the hardened {@code ack}.
 */
final class L2psSend {
    private static final String PROTOCOL = L2psProtocol.PROTOCOL;
    private static final System.Logger LOG = System.getLogger(L2psProtocol.class.getName());
    /** Acknowledgements one connection may have waiting for a group commit before it is held. */
    private static final int ACKS_IN_FLIGHT = 32;
    /** Sends one connection may have in the server (hardened: pipelined) before it is held. */
    static final int SENDS_IN_FLIGHT = 256;
    /** Ciphertext characters one connection's sends in the server may hold before it is held: 8 MiB. */
    static final long CHARS_IN_FLIGHT = 8L << 20;

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
    /** Message hashes whose rows are being written (see deliverNew). */
    private final InFlightHashes inFlight = new InFlightHashes();
    /** Offline rows not yet committed, which the queue bound counts. */
    private final PendingQueues pendingQueues = new PendingQueues();
    /** Rows on their way to their recipients through the queue, which a live frame must not overtake. */
    private final QueuedAhead queuedAhead = new QueuedAhead();
    private final Executor workers;
    private final ClusterRouting cluster;

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
        this.workers = x.workers;
        this.cluster = x.cluster;
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
        Runnable left = enter(r, JsValues.length(ciphertext).orElse(0));
        // A send with this hash still being written (to another recipient, or from another connection) decides
        // what this one is: it goes on once that write is done (no thread waits), then looks it up like any
        // stored message.
        CompletableFuture<CompletableFuture<Void>> reserving = inFlight.reserve(hash);
        if (reserving.isDone()) {
            locked(r, me, myUid, toKey, encrypted, hash, reserving.join(), left);
            return;
        }
        r.defer();
        reserving.thenAcceptAsync(reserved -> {
            try {
                locked(r, me, myUid, toKey, encrypted, hash, reserved, left);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, r.connection + ": send failed", e);
                r.error("INTERNAL_ERROR", "Internal server error");
            }
        }, workers);
    }

    /**
     * Counts a send of this connection in the server; past {@link #SENDS_IN_FLIGHT} sends or
     * {@link #CHARS_IN_FLIGHT} ciphertext characters the connection is held (stops being read, like flood pacing)
     * until this one is answered.
     *
     * @return call exactly once when the send is answered
     */
    private Runnable enter(L2psRequest r, int chars) {
        L2psSession s = r.session;
        boolean over = s.sendsInFlight.incrementAndGet() > SENDS_IN_FLIGHT
                | s.sendCharsInFlight.addAndGet(chars) > CHARS_IN_FLIGHT;
        Hold hold = over ? r.connection.hold() : null;
        AtomicBoolean once = new AtomicBoolean();
        return () -> {
            if (once.compareAndSet(false, true)) {
                s.sendsInFlight.decrementAndGet();
                s.sendCharsInFlight.addAndGet(-chars);
                if (hold != null) {
                    hold.release();
                }
            }
        };
    }

    private void locked(L2psRequest r, String me, String myUid, String toKey, JsonValue encrypted, String hash,
            CompletableFuture<Void> reserved, Runnable left) {
        ReentrantLock lock = locks.of(toKey);
        lock.lock();
        boolean handedOn = false;
        try {
            handedOn = deliverNew(r, me, myUid, toKey, encrypted, hash, reserved, left);
        } finally {
            lock.unlock();
            if (!handedOn) {
                inFlight.done(hash, reserved);
                left.run();
            }
        }
    }

    /** Under the recipient's lock stripe, with the hash reserved: whether the row was handed to the store. */
    private boolean deliverNew(L2psRequest r, String me, String myUid, String toKey, JsonValue encrypted,
            String hash, CompletableFuture<Void> reserved, Runnable left) {
        // §5.4 step 3: the online snapshot is taken before any storage work.
        L2psRegistry.Entry recipient = registry.get(toKey);
        // A recipient whose connection is being closed (it stopped reading, docs/server.md "Limits") is offline
        // already: its message is queued for the next registration instead of written behind the close frame.
        boolean online = recipient != null && recipient.l2psUid().equals(myUid) && recipient.connection().isOpen();
        // docs/cluster.md: a recipient registered on another node is online there; its row is stored queued (the
        // recipient's node claims it) and announced to that node after the commit. One nowhere is asked for on
        // every node after the commit, since a registration elsewhere may not have reached this node's cache yet.
        String remoteNode = online ? null : cluster.remote(PROTOCOL, toKey)
                .filter(p -> p.scope().equals(myUid)).map(ClusterRouting.Peer::node).orElse(null);
        boolean routed = remoteNode != null;
        // An earlier message to this recipient still on its way through the queue (stored before the recipient
        // registered here, and committed after its drain read the queue) is claimed and written behind the drain:
        // a live frame now would overtake it, so this one follows it through the queue (QueuedAhead).
        boolean behind = online && queuedAhead.any(toKey);
        Optional<L2psMessageRow> existing = store.findByMessageHash(hash);
        if (existing.isPresent()) {
            L2psMessageRow e = existing.get();
            if (rules.idempotentSend() && e.from().equals(me) && e.l2psUid().equals(myUid) && e.to().equals(toKey)) {
                repeatAcknowledgement(r, e); // idempotent send: the original answer again
            } else {
                r.error("L2PS_SUBMIT_FAILED", "Duplicate message");
            }
            return false;
        }
        if (store.diskReserveReached()) {
            metrics.refused(PROTOCOL, ServerMetrics.DISK_RESERVE);
            r.error("L2PS_SUBMIT_FAILED", OfflineQueueBound.STORAGE_FULL);
            return false;
        }
        if (!online && !routed && !quota.tryReserve(me)) {
            metrics.refused(PROTOCOL, ServerMetrics.OFFLINE_QUOTA);
            r.error("L2PS_SUBMIT_FAILED", "Offline message limit reached");
            return false;
        }
        String encryptedJson = codec.write(encrypted);
        long size = QueueUsage.sizeOf(me, toKey, hash, encryptedJson);
        // The queue bound counts rows still on their way to a group commit: a hardened send is not held until then.
        if (!online && !routed && !OfflineQueueBound.hasRoom(config.limits(),
                pendingQueues.with(toKey, myUid, () -> store.undeliveredUsage(toKey, myUid)), me, toKey, hash,
                encryptedJson)) {
            quota.release(me, 1);
            r.error("L2PS_SUBMIT_FAILED", OfflineQueueBound.L2PS_FULL);
            return false;
        }
        boolean acking = online && rules.extensions() && recipient.features().contains(L2psProtocol.FEATURE_ACK);
        long now = rules.conversationTime() ? conversationClock.next(myUid, me, toKey) : clock.getAsLong();
        String id = rules.timeOrderedIds() ? MessageIds.timeOrdered(System.currentTimeMillis())
                : MessageIds.random();
        DeliveryState delivery = !online || behind ? DeliveryState.QUEUED
                : acking ? DeliveryState.PENDING_ACK : DeliveryState.DELIVERED;
        boolean viaQueue = !online && !routed;
        // One durable write per message. The reference inserts the row, asks the mempool, then records the
        // transaction hash (or the refusal): three commits. The hash depends only on what is known before the
        // insert, so the policy is asked first and the row is written once, in its final state. Safe because
        // nobody can see the message before that write: the hash is reserved in `inFlight` (a second send
        // with it goes on after this write, then finds the row), so an admitted transaction never lacks its row on
        // this server; the database's unique index still answers "Duplicate message" for a send racing from
        // another server on the same database.
        String txHash = hashes.transactionHash(myUid, me, toKey, id, hash, encrypted, now);
        Optional<String> refusal;
        try {
            refusal = policy.admitTransaction(new SubmissionPolicy.Transaction(myUid, me, toKey, hash, txHash));
        } catch (RuntimeException e) {
            refusal = Optional.of(String.valueOf(e.getMessage()));
        }
        L2psMessageRow row = refusal.isPresent()
                ? new L2psMessageRow(id, me, toKey, myUid, hash, encryptedJson, null, now, DeliveryState.REJECTED,
                        viaQueue, PipelineState.FAILED, null, refusal.get())
                : new L2psMessageRow(id, me, toKey, myUid, hash, encryptedJson, txHash, now, delivery,
                        viaQueue, PipelineState.PENDING, null, null);
        boolean queued = viaQueue && refusal.isEmpty();
        if (queued) {
            pendingQueues.add(toKey, myUid, size);
        }
        boolean ahead = (!online || behind) && refusal.isEmpty();
        if (ahead) {
            queuedAhead.add(toKey); // under the recipient's lock stripe: a later send to it sees this one
        }
        CompletableFuture<Void> write = store.insertGrouped(row).whenComplete((ok, failure) -> {
            if (queued) {
                pendingQueues.committed(toKey, myUid, size);
            }
            inFlight.done(hash, reserved);
        });
        Optional<String> refused = refusal;
        Runnable answer = () -> {
            CompletableFuture<Void> handedOn = null;
            try {
                handedOn = answer(r, write, refused, online ? recipient : null, behind,
                        routed ? remoteNode : ClusterRouting.ANY, me, toKey, encrypted, hash, now, id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, r.connection + ": send failed", e);
                r.error("INTERNAL_ERROR", "Internal server error"); // never leaves its reply order waiting
            } finally {
                left.run();
                if (ahead) {
                    if (handedOn == null) {
                        queuedAhead.done(toKey);
                    } else {
                        handedOn.whenComplete((ok, e) -> queuedAhead.done(toKey));
                    }
                }
            }
        };
        if (rules.pipelinesSends()) {
            // Pipelined: answered from the commit's completion, in commit order (the order of this pair's
            // timestamps); the connection reads on meanwhile, and no thread waits.
            r.defer();
            write.whenComplete((ok, failure) -> answer.run());
        } else {
            // Reference mode: answered on this thread before it goes on, as the node awaits each write.
            try {
                write.join();
            } catch (CompletionException e) {
                // answered below from the failed future
            }
            answer.run();
        }
        return true;
    }

    /**
     * Answers a send whose row's write is complete; an online recipient's frame is written from here, or, for one
     * {@code behind} an earlier message on its way through the queue ({@link QueuedAhead}), its stored row is
     * claimed here behind that one.
     *
     * @return for a row stored queued that is claimed here: completes once its frame is handed to the connection;
     *     otherwise {@code null}
     */
    private CompletableFuture<Void> answer(L2psRequest r, CompletableFuture<Void> write, Optional<String> refusal,
            L2psRegistry.Entry recipient, boolean behind, String routeTo, String me, String toKey, JsonValue encrypted,
            String hash, long now, String id) {
        if (write.isCompletedExceptionally()) {
            storeFailed(r, write.handle((ok, f) -> f instanceof CompletionException ? f.getCause() : f).join());
            return null;
        }
        boolean routed = recipient == null && !ClusterRouting.ANY.equals(routeTo);
        if (refusal.isPresent()) {
            if (recipient == null && !routed) {
                quota.release(me, 1);
            }
            r.error("L2PS_SUBMIT_FAILED", refusal.get());
            return null;
        }
        metrics.accepted(PROTOCOL);
        if (behind) {
            r.reply(sentPayload(hash)); // online: answered as sent; its row was stored queued
            return deliveries.claimQueued(toKey, id);
        }
        if (recipient == null) {
            // after the commit: the recipient's node reads the row (docs/cluster.md); nothing on one process
            cluster.route(routeTo, PROTOCOL, L2psCluster.DELIVER, List.of(new ClusterRouting.Route(id, toKey)));
            if (routed) {
                r.reply(sentPayload(hash)); // online on another node: answered as for an online recipient
            } else {
                metrics.queued(PROTOCOL);
                r.reply(queuedPayload(hash));
            }
            // Registered here since the send was decided (a client failing over here from the node it was named
            // to, or a registration whose drain read the queue before this commit): claimed here, behind the drain.
            return registry.get(toKey) != null ? deliveries.claimQueued(toKey, id) : null;
        }
        CompletableFuture<Void> live = deliveries.writeLive(currentConnection(recipient),
                deliveries.messageFrame(me, encrypted, hash, false, now));
        r.reply(sentPayload(hash));
        if (rules.pipelinesSends()) {
            // B6 (3): `message_sent` means durable; a frame the recipient never got goes back to its queue, for the
            // next registration's drain (the sender is not told again).
            deliveries.requeueIfUnwritten(live, id, toKey);
        } else {
            metrics.deliveredLive(PROTOCOL);
        }
        return null;
    }

    /**
     * Where an online recipient's frame goes once its row is durable. The online snapshot was taken before the
     * group commit; if the recipient registered again meanwhile (a reconnect after a half-open connection), its new
     * registration's drain may have read the queue before this row was committed, so the frame goes to the new
     * connection: written to the old one it would be lost with it, and requeued it would wait for yet another
     * registration. A registration after this lookup finds the committed row in its drain.
     */
    private Connection currentConnection(L2psRegistry.Entry snapshot) {
        L2psRegistry.Entry now = registry.get(snapshot.publicKey());
        return now != null && now.connection() != snapshot.connection() && now.l2psUid().equals(snapshot.l2psUid())
                && now.connection().isOpen() ? now.connection() : snapshot.connection();
    }

    /** A failed message write: the insert race answers as the reference does, anything else as a failed handler. */
    private void storeFailed(L2psRequest r, Throwable failure) {
        if (failure instanceof DuplicateKeyException) {
            r.error("L2PS_SUBMIT_FAILED", "Duplicate message"); // insert race; REF leaks the quota slot here
            return;
        }
        LOG.log(System.Logger.Level.WARNING, r.connection + ": send failed", failure);
        r.error("INTERNAL_ERROR", "Internal server error");
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
        // No reply: acknowledgements are fire-and-forget, and repeating one is harmless. They join the next group
        // commit without holding the connection (nothing is answered from them), up to a few in flight per
        // connection; past that the connection is held until this one commits, so a connection that floods acks
        // stops being read instead of growing the writer's queue.
        Hold hold = r.session.acksInFlight.incrementAndGet() > ACKS_IN_FLIGHT ? r.connection.hold() : null;
        store.acknowledgeGrouped(me, h.value()).whenComplete((acked, failure) -> {
            r.session.acksInFlight.decrementAndGet();
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, r.connection + ": ack failed", failure);
                r.error("INTERNAL_ERROR", "Internal server error");
            } else if (acked) {
                metrics.acknowledged(PROTOCOL);
            }
            if (hold != null) {
                hold.release();
            }
        });
    }
}
