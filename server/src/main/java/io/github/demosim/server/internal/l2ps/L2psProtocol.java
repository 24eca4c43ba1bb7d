package io.github.demosim.server.internal.l2ps;

import io.github.demosim.CodecException;
import io.github.demosim.L2psStatus;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.ChallengeResponse;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.JsNumber;
import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.KeyedLocks;
import io.github.demosim.server.internal.OfflineQueueBound;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.RateLimits;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.json.LoneSurrogates;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.Hold;
import io.github.demosim.server.internal.net.ProtocolHandler;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.DuplicateKeyException;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.Page;
import io.github.demosim.server.internal.store.PipelineState;
import io.github.demosim.spi.FrameCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The L2PS messaging protocol (port 3006), as specified in l2ps.md §2–8, in reference or hardened mode.
 * Each handler follows the reference's validation order and error texts; the hardened differences are
 * marked where they occur and listed in docs/server.md.
 */
public final class L2psProtocol implements ProtocolHandler {
    private static final System.Logger LOG = System.getLogger(L2psProtocol.class.getName());

    /** The protocol label in metrics (also the connector name). */
    public static final String PROTOCOL = "l2ps";
    /** Extension names, advertised in {@code registered.features} (hardened mode only). */
    public static final String FEATURE_ACK = "ack";
    /** Pipeline status pushes. */
    public static final String FEATURE_MESSAGE_STATUS = "message_status";
    /** ML-KEM key directory. */
    public static final String FEATURE_KEY_DIRECTORY = "key_directory";
    /** Signed envelopes: the client reads them, and the key directory tells its peers so (docs/envelopes.md §6). */
    public static final String FEATURE_ENVELOPE = "envelope";
    private static final List<String> FEATURES = List.of(FEATURE_ACK, FEATURE_MESSAGE_STATUS, FEATURE_KEY_DIRECTORY,
            FEATURE_ENVELOPE, ServerChallenges.FEATURE);

    private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");
    private static final Pattern UID = Pattern.compile("^[A-Za-z0-9_-]+$");
    private static final int DEFAULT_HISTORY_LIMIT = 50;
    private static final int KEM_PUBLIC_KEY_BYTES = 1184;
    /** Acknowledgements one connection may have waiting for a group commit before it is held. */
    private static final int ACKS_IN_FLIGHT = 32;
    /** Stands in for a stored message's {@code encrypted}, which goes out verbatim as stored (history). */
    private static final Encrypted STORED_ENCRYPTED = Encrypted.of("", "", null);

    private final ServerConfig config;
    private final boolean hardened;
    private final FrameCodec codec;
    private final MessageStore store;
    private final L2psHashes hashes;
    private final SubmissionPolicy policy;
    private final LongSupplier clock;
    private final L2psReply reply;
    private final L2psProofs proofs;
    private final ServerChallenges challenges;
    private final L2psRegistry registry = new L2psRegistry();
    private final OfflineQuota quota = new OfflineQuota(ServerConfig.L2PS_OFFLINE_LIMIT);
    private final KeyedLocks locks = new KeyedLocks(64);
    private final ConversationClock conversationClock;
    private final RateLimits rates;
    private final L2psDelivery deliveries;
    private final ServerMetrics metrics;
    /** Message hashes whose rows are being written (see deliverNew). */
    private final InFlightHashes inFlight = new InFlightHashes();
    private volatile boolean stopping;

    /**
     * Creates the protocol.
     *
     * @param config settings
     * @param codec the JSON codec
     * @param crypto the crypto
     * @param store the store
     * @param hashes pipeline hashes
     * @param clock current time in ms
     * @param workers runs database work that follows a write
     * @param timers runs short deadlines
     * @param rates the rate limits
     * @param metrics what it counts
     */
    public L2psProtocol(ServerConfig config, FrameCodec codec, ServerCrypto crypto, MessageStore store,
            L2psHashes hashes, LongSupplier clock, Executor workers, ScheduledExecutorService timers,
            RateLimits rates, ServerMetrics metrics) {
        this.config = config;
        this.hardened = config.hardened();
        this.codec = codec;
        this.store = store;
        this.hashes = hashes;
        this.policy = config.submissionPolicy();
        this.clock = clock;
        this.metrics = metrics;
        this.reply = new L2psReply(clock, metrics);
        this.proofs = new L2psProofs(crypto, store, hardened, config.proofWindow(), clock);
        this.challenges = new ServerChallenges(crypto);
        this.conversationClock = new ConversationClock(store, clock);
        this.rates = rates;
        this.deliveries = new L2psDelivery(hardened, codec, store, reply, quota, workers, timers, metrics);
    }

    /**
     * Peers registered now.
     *
     * @return how many
     */
    public int registeredPeers() {
        return registry.size();
    }

    @Override
    public boolean ordered() {
        return hardened;
    }

    @Override
    public void onOpen(Connection connection) {
        RateLimits.FrameLimiter pace = rates.forConnection(connection.remoteAddress());
        // flood control: a pace, never a refusal (none where every limit is off: reference mode, or set to 0)
        connection.pace(pace == null ? null : pace.counting(() -> metrics.framePaced(PROTOCOL)));
        connection.state(new L2psSession(pace));
    }

    /** Stops presence broadcasts: the reference's {@code stop()} clears the map without {@code peer_left}. */
    public void stopping() {
        stopping = true;
        registry.clear();
    }

    // --- frame entry (§4.2) ---------------------------------------------------------------------------

    /**
     * Beyond 262,144 bytes a binary message, and beyond three times that a text message (a UTF-16 unit takes at
     * most three UTF-8 bytes), is over the limit of §4.2 step 1 whatever it holds: its bytes are not kept.
     */
    @Override
    public long contentLimit(boolean binary) {
        return binary ? ServerConfig.L2PS_MAX_FRAME_CHARS : 3L * ServerConfig.L2PS_MAX_FRAME_CHARS;
    }

    @Override
    public void onTooLarge(Connection c) {
        tooLarge(c);
    }

    private void tooLarge(Connection c) {
        reply.error(c, "INVALID_MESSAGE", "Message too large (max 262144 bytes)", null);
    }

    @Override
    public void onFrame(Connection c, String text, int rawLength) {
        L2psSession s = c.state(L2psSession.class);
        if (rawLength > ServerConfig.L2PS_MAX_FRAME_CHARS) {
            tooLarge(c);
            return;
        }
        JsonValue root;
        try {
            root = codec.parse(text);
        } catch (CodecException e) {
            reply.error(c, "INVALID_MESSAGE", "Invalid JSON", null);
            return;
        }
        if (hardened && root.get("type").flatMap(JsonValue::asString).filter(FEATURE_ACK::equals).isPresent()
                && s.ackCredit.spend()) {
            c.refundPace(); // an acknowledgement of a message this connection was handed is free (AckCredit)
        }
        if (root instanceof JsonValue.JsonNull) {
            if (hardened) {
                reply.error(c, "INVALID_MESSAGE", "Missing or invalid type/payload", null);
            } else {
                // REF quirk (l2ps.md §4.2 step 3): the node throws outside its try block and answers nothing.
                LOG.log(System.Logger.Level.DEBUG, "{0}: JSON null frame, no answer (reference behaviour)", c);
            }
            return;
        }
        String requestId = hardened ? root.get("requestId").flatMap(JsonValue::asString).orElse(null) : null;
        if (hardened && LoneSurrogates.in(text, root)) {
            // Stored as sent, it would be written as '?' (UTF-8 has no lone surrogates): an ack could never match.
            reply.error(c, "INVALID_MESSAGE", LoneSurrogates.ERROR, requestId);
            return;
        }
        JsonValue type = root.get("type").orElse(null);
        JsonValue payload = root.get("payload").orElse(null);
        if (!(type instanceof JsonValue.JsonString t) || t.value().isEmpty() || !JsValues.isObjectLike(payload)) {
            reply.error(c, "INVALID_MESSAGE", "Missing or invalid type/payload", requestId);
            return;
        }
        Request r = new Request(c, s, root, payload, requestId);
        try {
            switch (t.value()) {
                case "register" -> register(r);
                case "send" -> send(r);
                case "history" -> history(r);
                case "discover" -> discover(r);
                case "request_public_key" -> requestPublicKey(r);
                case "ack" -> {
                    if (hardened) {
                        ack(r);
                    } else {
                        r.error("INVALID_MESSAGE", "Unknown type: ack");
                    }
                }
                case "challenge" -> {
                    if (hardened) {
                        challenge(r);
                    } else {
                        r.error("INVALID_MESSAGE", "Unknown type: challenge");
                    }
                }
                default -> r.error("INVALID_MESSAGE", "Unknown type: " + t.value());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": " + t.value() + " failed", e);
            r.error("INTERNAL_ERROR", "Internal server error");
        }
    }

    /** One inbound request and how to answer it. */
    private final class Request {
        final Connection connection;
        final L2psSession session;
        final JsonValue root;
        final JsonValue payload;
        final String requestId;

        Request(Connection connection, L2psSession session, JsonValue root, JsonValue payload, String requestId) {
            this.connection = connection;
            this.session = session;
            this.root = root;
            this.payload = payload;
            this.requestId = requestId;
        }

        JsonValue field(String name) {
            return payload.get(name).orElse(null);
        }

        JsonValue timestamp() {
            return root.get("timestamp").orElse(null);
        }

        CompletableFuture<Void> reply(L2psReply.Body body) {
            return reply.send(connection, body, requestId);
        }

        CompletableFuture<Void> reply(L2psReply.Body body, FrameEncoder.Verbatim verbatim) {
            return reply.send(connection, body, requestId, verbatim);
        }

        void error(String code, String message) {
            reply.error(connection, code, message, requestId);
        }
    }

    // --- register (§5.1–5.3) ----------------------------------------------------------------------------

    private void register(Request r) {
        JsonValue pk = r.field("publicKey");
        JsonValue uid = r.field("l2psUid");
        JsonValue proof = r.field("proof");
        if (!JsValues.truthy(pk) || !JsValues.truthy(uid) || !JsValues.truthy(proof)) {
            r.error("INVALID_MESSAGE", "Missing publicKey, l2psUid, or proof");
            return;
        }
        // Non-string keys are refused here in both modes (the reference would fail later, in the verifier).
        if (!(pk instanceof JsonValue.JsonString pks) || pks.value().length() < 64 || !HEX.matcher(pks.value()).matches()
                || (hardened && pks.value().length() != 64)) {
            r.error("INVALID_MESSAGE", "Invalid publicKey format (expected hex)");
            return;
        }
        String key = pks.value();
        Set<String> features = Set.of();
        String kemKey = null;
        if (hardened) {
            features = requestedFeatures(r.field("features"));
            JsonValue kem = r.field("kemPublicKey");
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
                && config.l2psUids().contains(us.value());
        String proofMessage = "register:" + key + ":" + JsValues.toJsString(r.timestamp());
        boolean bound = features.contains(ServerChallenges.FEATURE);
        if (bound) {
            String nonce = r.session.takeChallenge();
            if (nonce == null) {
                r.error("INVALID_PROOF", ServerChallenges.NO_CHALLENGE);
                return;
            }
            proofMessage = ServerChallenges.proofMessage(key, uidText, JsValues.toJsString(r.timestamp()), nonce);
        } else if (config.requireServerBoundProof()) {
            r.error("INVALID_PROOF", ServerChallenges.REQUIRED);
            return;
        }
        if (!hardened && !hosted) {
            // REF (§5.1 step 3, B15): the network lookup precedes the signature check.
            r.error("L2PS_NOT_FOUND", "L2PS network " + uidText + " not found");
            return;
        }
        L2psProofs.Check check = proofs.verify(key, proofMessage, proof);
        if (check instanceof L2psProofs.Invalid) {
            r.error("INVALID_PROOF", "Signature verification failed");
            return;
        }
        if (check instanceof L2psProofs.Broken b) {
            r.error("INVALID_PROOF", "Proof verification error: " + b.detail());
            return;
        }
        if (hardened) {
            String stale = proofs.staleness(r.timestamp());
            if (stale != null) {
                r.error("INVALID_PROOF", stale);
                return;
            }
            if (!hosted) {
                r.error("L2PS_NOT_FOUND", "L2PS network " + uidText + " not found");
                return;
            }
            // A bound proof signs a nonce good for one register on one connection: it cannot be used twice.
            if (!bound && !proofs.firstUse(key, proofMessage, r.timestamp())) {
                r.error("INVALID_PROOF", "Proof already used");
                return;
            }
        }
        bindAndWelcome(r, key, ((JsonValue.JsonString) uid).value(), features, kemKey);
    }

    private Set<String> requestedFeatures(JsonValue requested) {
        Set<String> out = new LinkedHashSet<>();
        if (requested instanceof JsonValue.JsonArray a) {
            for (JsonValue v : a.elements()) {
                v.asString().filter(FEATURES::contains).ifPresent(out::add);
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

    private void bindAndWelcome(Request r, String key, String uid, Set<String> features, String kemKey) {
        Connection c = r.connection;
        L2psSession s = r.session;
        ReentrantLock lock = locks.of(key);
        L2psDelivery.Drain drain;
        lock.lock();
        try {
            L2psRegistry.Entry old = registry.get(key);
            String previousKey = s.publicKey();
            String previousUid = s.l2psUid();
            boolean sameBinding = old != null && old.connection() == c && uid.equals(old.l2psUid());
            // Bind first, close the previous socket after: its close event then finds the key bound elsewhere
            // and is ignored as stale, as on the node, where the close event always comes after the bind.
            s.bind(key, uid, features);
            registry.put(new L2psRegistry.Entry(key, uid, c, clock.getAsLong(), features));
            if (hardened) {
                if (old != null && old.connection() != c) {
                    old.connection().close(4000, "replaced by a newer registration of this key");
                    if (!old.l2psUid().equals(uid)) {
                        // Fixes B18: the old network learns that the key left it.
                        broadcastPeerLeft(key, old.l2psUid(), old.connection());
                    }
                }
                if (previousKey != null && !previousKey.equals(key) && registry.removeIfConnection(previousKey, c)) {
                    broadcastPeerLeft(previousKey, previousUid, c); // fixes B4: no ghost of the previous key
                }
                if (old != null && old.connection() == c && !sameBinding) {
                    broadcastPeerLeft(key, old.l2psUid(), c); // same key, same socket, network switch
                }
            } else if (old != null) {
                // REF (§5.3): close the previous socket of this key, even when it is this very socket (B3).
                old.connection().closePlain();
            }
            if (kemKey != null) {
                // the client extensions its peers need to know of are published with the key
                store.publishKemKey(key, uid, kemKey, features.contains(FEATURE_ENVELOPE) ? List.of(FEATURE_ENVELOPE)
                        : List.of(), clock.getAsLong());
            }
            List<String> onlinePeers = new ArrayList<>();
            List<L2psRegistry.Entry> peers = new ArrayList<>();
            for (L2psRegistry.Entry e : registry.inNetwork(uid)) {
                if (!e.publicKey().equals(key)) {
                    onlinePeers.add(e.publicKey());
                    peers.add(e);
                }
            }
            List<String> offered = hardened ? FEATURES : List.of(); // an empty list is not written
            r.reply((at, id) -> new Registered(true, key, uid, onlinePeers, offered, at, id));
            c.authenticated();
            LOG.log(System.Logger.Level.DEBUG, "{0} registered {1} in {2}", c, key, uid);
            if (!(hardened && sameBinding)) {
                String joined = reply.frame((at, id) -> new PeerJoined(key, at, id), null);
                for (L2psRegistry.Entry peer : peers) {
                    peer.connection().send(joined);
                }
            }
            // A send to this key takes its lock: it queued its message before this point, or it finds the drain
            // and its live frame waits behind it. §5.1 step 10: a drain failure follows `registered`.
            drain = deliveries.drain(c, s, key, uid, c.hold(),
                    e -> r.error("INTERNAL_ERROR", "Internal server error"));
        } finally {
            lock.unlock();
        }
        drain.start(); // §6.1, a page at a time; the connection's next frame waits for its end (hardened)
    }

    /** Tells a network that a key left; the connection it left from is not told. */
    private void broadcastPeerLeft(String key, String uid, Connection from) {
        if (stopping) {
            return;
        }
        String left = reply.frame((at, id) -> new PeerLeft(key, at, id), null);
        for (L2psRegistry.Entry e : registry.inNetwork(uid)) {
            if (!e.publicKey().equals(key) && e.connection() != from) {
                e.connection().send(left);
            }
        }
    }

    // --- send (§5.4) --------------------------------------------------------------------------------------

    private void send(Request r) {
        String me = r.session.publicKey();
        String myUid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before sending");
            return;
        }
        JsonValue to = r.field("to");
        JsonValue encrypted = r.field("encrypted");
        JsonValue messageHash = r.field("messageHash");
        if (!JsValues.truthy(to) || !JsValues.truthy(encrypted) || !JsValues.truthy(messageHash)) {
            r.error("INVALID_MESSAGE", "Missing to, encrypted, or messageHash");
            return;
        }
        JsonValue ciphertext = encrypted.get("ciphertext").orElse(null);
        JsonValue nonce = encrypted.get("nonce").orElse(null);
        if (!JsValues.truthy(ciphertext) || !JsValues.truthy(nonce)) {
            r.error("INVALID_MESSAGE", "Encrypted payload must have ciphertext and nonce");
            return;
        }
        if (hardened && !(to instanceof JsonValue.JsonString && messageHash instanceof JsonValue.JsonString
                && encrypted instanceof JsonValue.JsonObject && ciphertext instanceof JsonValue.JsonString
                && nonce instanceof JsonValue.JsonString)) {
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

    private void deliverNew(Request r, String me, String myUid, String toKey, JsonValue encrypted, String hash) {
        // §5.4 step 3: the online snapshot is taken before any storage work.
        L2psRegistry.Entry recipient = registry.get(toKey);
        // A recipient whose connection is being closed (it stopped reading, docs/server.md "Limits") is offline
        // already: its message is queued for the next registration instead of written behind the close frame.
        boolean online = recipient != null && recipient.l2psUid().equals(myUid) && recipient.connection().isOpen();
        // A send with this hash still being written (to another recipient, or from another connection) decides
        // what this one is: wait for it, then look it up like any stored message.
        CompletableFuture<Void> reserved = inFlight.reserve(hash);
        boolean handedOn = false;
        try {
            Optional<L2psMessageRow> existing = store.findByMessageHash(hash);
            if (existing.isPresent()) {
                L2psMessageRow e = existing.get();
                if (hardened && e.from().equals(me) && e.l2psUid().equals(myUid) && e.to().equals(toKey)) {
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
            boolean acking = online && hardened && recipient.features().contains(FEATURE_ACK);
            long now = hardened ? conversationClock.next(myUid, me, toKey) : clock.getAsLong();
            String id = UUID.randomUUID().toString();
            DeliveryState delivery = !online ? DeliveryState.QUEUED
                    : acking ? DeliveryState.PENDING_ACK : DeliveryState.DELIVERED;
            // One durable write per message. The reference inserts the row, asks the mempool, then records the
            // transaction hash (or the refusal): three commits. The hash depends only on what is known before the
            // insert, so the policy is asked first and the row is written once, in its final state. Safe because
            // nobody can see the message before that write: the hash is reserved in `inFlight` (a second send
            // with it waits above, then finds the row), so an admitted transaction never lacks its row on this
            // server; the database's unique index still answers "Duplicate message" for a send racing from
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
                            !online, PipelineState.FAILED, null, refusal.get())
                    : new L2psMessageRow(id, me, toKey, myUid, hash, encryptedJson, txHash, now, delivery,
                            !online, PipelineState.PENDING, null, null);
            CompletableFuture<Void> write = store.insertGrouped(row).whenComplete((ok, failure) -> inFlight.done(hash,
                    reserved));
            handedOn = true;
            if (hardened && online && refusal.isEmpty()) {
                // Pipelined across connections: this connection is held (its next frame waits, in order) while
                // the row joins the next group commit; no worker thread waits. The live write is queued from the
                // commit's completion, in commit order, which is the order of this recipient's timestamps.
                Hold hold = r.connection.hold();
                write.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        storeFailed(r, failure);
                        hold.release();
                        return;
                    }
                    metrics.accepted(PROTOCOL);
                    CompletableFuture<Void> live = deliveries.writeLive(recipient.connection(),
                            deliveries.messageFrame(me, encrypted, hash, false, now));
                    // Fixes B6 (3): answered once the recipient's frame is written; if the recipient vanished
                    // meanwhile, the message goes back to the queue and the sender hears `message_queued`.
                    deliveries.answerWhenWritten(live, id, hold, () -> {
                        metrics.deliveredLive(PROTOCOL);
                        r.reply(sentPayload(hash));
                    }, () -> {
                        metrics.queued(PROTOCOL);
                        r.reply(queuedPayload(hash));
                    });
                });
                return;
            }
            // Reference mode, refusals and offline recipients: answered before the next frame, on this thread (an
            // offline recipient's queue bound above must see this row before the next send to it is checked).
            try {
                write.join();
            } catch (CompletionException e) {
                storeFailed(r, e.getCause());
                return;
            }
            if (refusal.isPresent()) {
                if (!online) {
                    quota.release(me, 1);
                }
                r.error("L2PS_SUBMIT_FAILED", refusal.get());
                return;
            }
            metrics.accepted(PROTOCOL);
            if (!online) {
                metrics.queued(PROTOCOL);
                r.reply(queuedPayload(hash));
                return;
            }
            deliveries.writeLive(recipient.connection(), deliveries.messageFrame(me, encrypted, hash, false, now));
            metrics.deliveredLive(PROTOCOL);
            r.reply(sentPayload(hash));
        } finally {
            if (!handedOn) {
                inFlight.done(hash, reserved);
            }
        }
    }

    /** A failed message write: the insert race answers as the reference does, anything else as a failed handler. */
    private void storeFailed(Request r, Throwable failure) {
        if (failure instanceof DuplicateKeyException) {
            r.error("L2PS_SUBMIT_FAILED", "Duplicate message"); // insert race; REF leaks the quota slot here
            return;
        }
        LOG.log(System.Logger.Level.WARNING, r.connection + ": send failed", failure);
        r.error("INTERNAL_ERROR", "Internal server error");
    }

    private void repeatAcknowledgement(Request r, L2psMessageRow original) {
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

    // --- history (§7.1) -------------------------------------------------------------------------------------

    private void history(Request r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register first");
            return;
        }
        JsonValue peerKey = r.field("peerKey");
        JsonValue proof = r.field("proof");
        if (!JsValues.truthy(peerKey) || !JsValues.truthy(proof)) {
            r.error("INVALID_MESSAGE", "Missing peerKey or proof");
            return;
        }
        String peer = JsValues.toJsString(peerKey);
        String proofMessage = "history:" + peer + ":" + JsValues.toJsString(r.timestamp());
        L2psProofs.Check check = proofs.verify(me, proofMessage, proof);
        if (check instanceof L2psProofs.Invalid) {
            r.error("INVALID_PROOF", "History proof failed");
            return;
        }
        if (check instanceof L2psProofs.Broken) {
            r.error("INVALID_PROOF", "Proof verification error");
            return;
        }
        if (hardened) {
            String stale = proofs.staleness(r.timestamp());
            if (stale != null) {
                r.error("INVALID_PROOF", stale);
                return;
            }
        }
        Long before = null;
        JsonValue b = r.field("before");
        if (JsValues.truthy(b)) {
            before = bigintParameter(b);
            if (before == null) {
                invalidParameter(r, "Invalid before (expected a server timestamp in ms)");
                return;
            }
        }
        int limit = DEFAULT_HISTORY_LIMIT;
        JsonValue l = r.field("limit");
        if (l != null && !(l instanceof JsonValue.JsonNull)) {
            Long parsed = l instanceof JsonValue.JsonNumber ? bigintParameter(l) : null;
            if (parsed == null || parsed < 0) {
                invalidParameter(r, "Invalid limit (expected an integer from 0 to "
                        + ServerConfig.HARDENED_MAX_HISTORY_LIMIT + ")");
                return;
            }
            long cap = hardened ? ServerConfig.HARDENED_MAX_HISTORY_LIMIT : Integer.MAX_VALUE - 1;
            limit = (int) Math.min(parsed, cap);
        }
        // Both modes: a page stops at 10,000 messages or 4 MiB past its first message (then hasMore), so one
        // request never loads or buffers a whole conversation; the client pages on with `before`.
        Page<L2psMessageRow> page = store.history(uid, me, peer, before,
                Math.min(limit, ServerConfig.MAX_HISTORY_PAGE_ROWS), ServerConfig.MAX_HISTORY_PAGE_BYTES);
        boolean hasMore = page.next() != null;
        List<StoredMessage> messages = new ArrayList<>();
        List<JsonValue> relayed = new ArrayList<>();
        for (L2psMessageRow row : page.rows()) {
            messages.add(new StoredMessage(row.id(), row.from(), row.to(), row.messageHash(), STORED_ENCRYPTED,
                    row.l2psUid(), row.l2psTxHash(), row.timestamp(), L2psStatus.fromWire(row.wireStatus())));
            relayed.add(codec.parse(row.encryptedJson()));
        }
        // Each stored `encrypted` goes out as its sender wrote it, in place of the record's stand-in.
        r.reply((at, id) -> new HistoryResponse(messages, hasMore, at, id), path -> {
            for (int i = 0; i < relayed.size(); i++) {
                if (path.equals(FrameEncoder.Verbatim.storedEncrypted(i))) {
                    return relayed.get(i);
                }
            }
            return null;
        });
    }

    /** REF: Postgres rejects the value (INTERNAL_ERROR); hardened: a clear INVALID_MESSAGE. */
    private void invalidParameter(Request r, String hardenedText) {
        if (hardened) {
            r.error("INVALID_MESSAGE", hardenedText);
        } else {
            r.error("INTERNAL_ERROR", "Internal server error");
        }
    }

    /**
     * How PostgreSQL reads a JavaScript value bound to a {@code bigint} parameter: numbers through their
     * JavaScript text (so {@code 1.5} and {@code 1e+21} fail), strings as integer literals with optional sign
     * and surrounding spaces; everything else fails.
     */
    private static Long bigintParameter(JsonValue v) {
        String text;
        if (v instanceof JsonValue.JsonNumber n) {
            text = JsNumber.toString(n.value());
        } else if (v instanceof JsonValue.JsonString s) {
            text = s.value().strip();
        } else {
            return null;
        }
        if (!text.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return new BigDecimal(text).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    // --- discover, request_public_key, ack (§8) ---------------------------------------------------------------

    private void discover(Request r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null || uid == null) {
            r.error("REGISTRATION_REQUIRED", "Register before discovering peers");
            return;
        }
        List<String> peers = new ArrayList<>();
        registry.inNetwork(uid).forEach(e -> peers.add(e.publicKey()));
        r.reply((at, id) -> new DiscoverResponse(peers, at, id));
    }

    private void requestPublicKey(Request r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before requesting public keys");
            return;
        }
        JsonValue target = r.field("targetId");
        if (!JsValues.truthy(target)) {
            r.error("INVALID_MESSAGE", "Missing targetId");
            return;
        }
        String found = null;
        if (target instanceof JsonValue.JsonString t) {
            L2psRegistry.Entry e = registry.get(t.value());
            if (e != null && e.l2psUid().equals(uid)) {
                found = e.publicKey();
            }
        }
        String publicKey = found;
        // The target is echoed as sent (REF: a number stays a number).
        FrameEncoder.Verbatim echoed = FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.TARGET_ID, target);
        if (hardened && r.session.has(FEATURE_KEY_DIRECTORY)) {
            MessageStore.KemKeyEntry entry = target instanceof JsonValue.JsonString t
                    ? store.kemKey(t.value(), uid).orElse(null) : null;
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

    /** Extension server_challenge: a nonce for this connection's next register (docs/server.md). */
    private void challenge(Request r) {
        String nonce = challenges.newNonce();
        r.session.challenge(nonce);
        r.reply((at, id) -> new ChallengeResponse(nonce, at, id));
    }

    private void ack(Request r) {
        String me = r.session.publicKey();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register before acknowledging messages");
            return;
        }
        if (!r.session.has(FEATURE_ACK)) {
            r.error("INVALID_MESSAGE", "Extension not negotiated: ack (ask for it in register.features)");
            return;
        }
        JsonValue hash = r.field("messageHash");
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

    // --- presence on close (§8) and pipeline pushes ----------------------------------------------------------

    @Override
    public void onClose(Connection c, int code) {
        L2psSession s = c.state(L2psSession.class);
        if (s == null || stopping) {
            return;
        }
        String key = s.publicKey();
        if (key == null) {
            return;
        }
        if (registry.removeIfConnection(key, c)) {
            broadcastPeerLeft(key, s.l2psUid(), c);
            LOG.log(System.Logger.Level.DEBUG, "{0} left: {1}", c, key);
        }
        if (hardened) {
            for (L2psRegistry.Entry ghost : registry.removeAll(c)) {
                broadcastPeerLeft(ghost.publicKey(), ghost.l2psUid(), c);
            }
        }
    }

    /**
     * Pushes {@code message_status} to online senders that asked for it (hardened mode only).
     *
     * @param changed messages whose pipeline state changed, with the new state
     */
    public void pipelineChanged(List<L2psMessageRow> changed) {
        if (!hardened || stopping) {
            return;
        }
        for (L2psMessageRow row : changed) {
            L2psRegistry.Entry sender = registry.get(row.from());
            if (sender == null || !sender.features().contains(FEATURE_MESSAGE_STATUS)) {
                continue;
            }
            // Queued behind the frame the sender's connection is handling, so a push never overtakes the
            // acknowledgement of the send it is about.
            // docs/server.md: l2psTxHash is null, not absent, while the message has none
            FrameEncoder.Verbatim noHash = row.l2psTxHash() == null
                    ? FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.L2PS_TX_HASH, JsonValue.nullValue())
                    : FrameEncoder.Verbatim.NONE;
            sender.connection().sendAfterCurrent(reply.frame((at, id) -> new MessageStatus(row.messageHash(),
                    row.pipeline().column(), row.l2psTxHash(), at, id), null, noHash));
        }
    }
}
