package io.github.demosim.server.internal.legacy;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.MessageQueued;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PublicKeyResponse;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.internal.wire.Stringify;
import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.OfflineDrain;
import io.github.demosim.server.internal.OfflineQueueBound;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.RateLimits;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.json.CanonicalJson;
import io.github.demosim.server.internal.json.JsHex;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.json.FrameText;
import io.github.demosim.server.internal.json.LoneSurrogates;
import io.github.demosim.server.internal.json.RawJson;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.ProtocolHandler;
import io.github.demosim.server.internal.store.DuplicateKeyException;
import io.github.demosim.server.internal.store.LegacyOfflineRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.Page;
import io.github.demosim.spi.FrameCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The legacy signaling protocol (port 3005), as specified in legacy-and-crypto.md §A, in reference or
 * hardened mode (hardened: the registration proof must sign exactly the registered ML-KEM-768 key of 1184
 * bytes, a bad register frame stops at its first error, a client id is claimed atomically, frames of one
 * connection are handled in order, a message is at most 1 MiB, and strings with unpaired surrogates are refused).
 */
public final class LegacyProtocol implements ProtocolHandler {
    /** The protocol label in metrics (also the connector name). */
    public static final String PROTOCOL = "legacy";
    private static final System.Logger LOG = System.getLogger(LegacyProtocol.class.getName());
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String DEBUG_QUESTION =
            "This is a debug question. What is your favorite programming language?";
    /** The debug question's body: {@code {"text": …}}, a free-form object of the reference (§A.6), not a frame. */
    private static final JsonValue DEBUG_QUESTION_BODY =
            new JsonValue.JsonObject(Map.of("text", JsonValue.of(DEBUG_QUESTION)));
    private static final int ML_KEM_768_PUBLIC_KEY_BYTES = 1184;

    private final ServerConfig config;
    private final boolean hardened;
    private final FrameCodec codec;
    private final ServerCrypto crypto;
    private final MessageStore store;
    private final SubmissionPolicy policy;
    private final LongSupplier clock;
    private final byte[] nodeSeed;
    private final LegacyRegistry registry = new LegacyRegistry();
    private final OfflineQuota quota = new OfflineQuota(ServerConfig.LEGACY_OFFLINE_LIMIT);
    private final Object offlineLock = new Object();
    private final LegacyClientFeatures clientFeatures = new LegacyClientFeatures();
    private final Executor workers;
    private final RateLimits rates;
    private final LegacyIdOwners owners;
    private final ServerMetrics metrics;
    private volatile boolean stopping;

    /**
     * Creates the protocol.
     *
     * @param config settings
     * @param codec JSON codec
     * @param crypto crypto
     * @param store store
     * @param clock current time in ms
     * @param nodeSeed the node's Ed25519 seed, which signs stored offline messages as the reference's node does
     * @param workers runs the database work of the offline drain between pages
     * @param rates the rate limits
     * @param metrics what it counts
     */
    public LegacyProtocol(ServerConfig config, FrameCodec codec, ServerCrypto crypto, MessageStore store,
            LongSupplier clock, byte[] nodeSeed, Executor workers, RateLimits rates,
            ServerMetrics metrics) {
        this.config = config;
        this.hardened = config.hardened();
        this.codec = codec;
        this.crypto = crypto;
        this.store = store;
        this.policy = config.submissionPolicy();
        this.clock = clock;
        this.nodeSeed = nodeSeed.clone();
        this.workers = workers;
        this.rates = rates;
        this.owners = new LegacyIdOwners(store, crypto, clock);
        this.metrics = metrics;
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
        connection.state(pace); // told the client id when it registers
    }

    /** Hardened: a legacy message is at most 1 MiB (Bun's 16 MiB otherwise); its bytes beyond are not kept. */
    @Override
    public long contentLimit(boolean binary) {
        return hardened ? ServerConfig.HARDENED_LEGACY_MAX_MESSAGE_BYTES : Long.MAX_VALUE;
    }

    @Override
    public void onTooLarge(Connection c) {
        error(c, "INVALID_MESSAGE", "Message too large (max " + ServerConfig.HARDENED_LEGACY_MAX_MESSAGE_BYTES
                + " bytes)");
    }

    /** Stops presence broadcasts for the shutdown. */
    public void stopping() {
        stopping = true;
        registry.clear();
    }

    // --- frame entry (§A.6) -----------------------------------------------------------------------------

    @Override
    public void onFrame(Connection c, String text, int rawLength) {
        JsonValue root;
        try {
            root = codec.parse(text);
        } catch (CodecException e) {
            // REF: the parse exception's text, as INTERNAL_ERROR (not INVALID_MESSAGE).
            error(c, "INTERNAL_ERROR", "JSON Parse error: Unable to parse JSON string");
            return;
        }
        if (root instanceof JsonValue.JsonNull) {
            error(c, "INTERNAL_ERROR", "null is not an object (evaluating 'data.type')");
            return;
        }
        if (hardened && LoneSurrogates.in(text, root)) {
            error(c, "INVALID_MESSAGE", LoneSurrogates.ERROR);
            return;
        }
        JsonValue type = Received.at(root, Received.TYPE);
        JsonValue payload = Received.at(root, Received.PAYLOAD);
        if (!JsValues.truthy(type) || !JsValues.truthy(payload)) {
            error(c, "INVALID_MESSAGE", "Invalid message format");
            return;
        }
        String name = type.asString().orElse("");
        try {
            switch (name) {
                case Register.TYPE -> register(c, root);
                case Discover.TYPE -> discover(c);
                case SendMessage.TYPE -> message(c, root);
                case RequestPublicKey.TYPE -> requestPublicKey(c, root);
                case DebugQuestion.TYPE -> debugQuestion(c);
                default -> error(c, "INVALID_MESSAGE", "Unknown message type: " + JsValues.toJsString(type));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": " + name + " failed", e);
            error(c, "INTERNAL_ERROR", String.valueOf(e.getMessage()));
        }
    }

    private static CompletableFuture<Void> send(Connection c, LegacyServerFrame frame) {
        return c.send(FrameText.of(frame));
    }

    private static CompletableFuture<Void> send(Connection c, LegacyServerFrame frame, FrameEncoder.Verbatim verbatim) {
        return c.send(FrameText.of(frame, verbatim));
    }

    private void error(Connection c, String errorType, String details) {
        metrics.error(PROTOCOL, errorType);
        send(c, new ErrorFrame(errorType, details, ISO_MILLIS.format(Instant.ofEpochMilli(clock.getAsLong()))));
    }

    /**
     * A client id as the reference writes it: its JavaScript value as registered or sent (a number stays a
     * number), left out where it is {@code undefined}, as {@code JSON.stringify} does.
     */
    private static FrameEncoder.Verbatim id(String path, JsonValue value) {
        return FrameEncoder.Verbatim.at(path, value == null ? FrameEncoder.Verbatim.OMIT : value);
    }

    private static String idText(JsonValue value) {
        return value == null ? null : JsValues.toJsString(value);
    }

    // --- register (§A.5, §A.6 4.register) ----------------------------------------------------------------

    private void register(Connection c, JsonValue frame) {
        JsonValue clientId = Received.at(frame, Received.CLIENT_ID);
        JsonValue publicKey = Received.at(frame, Received.PUBLIC_KEY);
        JsonValue verification = Received.at(frame, Received.VERIFICATION);
        if (!JsValues.truthy(clientId) || !JsValues.truthy(publicKey) || !JsValues.truthy(verification)) {
            error(c, "INVALID_MESSAGE", "Invalid message schema");
            if (hardened) {
                return;
            }
            // REF (C.1 #2): no return here; the checks below usually add a second error.
        }
        if (hardened && !(clientId instanceof JsonValue.JsonString)) {
            error(c, "INVALID_MESSAGE", "Invalid message schema");
            return;
        }
        LegacyRegistry.ClientId id = new LegacyRegistry.ClientId(clientId);
        if (registry.contains(id)) {
            error(c, "CLIENT_ID_TAKEN", "Client ID " + JsValues.toJsString(clientId) + " is already taken");
            return;
        }
        byte[] kemKey = null;
        if (hardened) {
            kemKey = LegacyValues.byteArray(publicKey);
            if (kemKey == null || kemKey.length != ML_KEM_768_PUBLIC_KEY_BYTES) {
                error(c, "INVALID_PUBLIC_KEY", "Invalid public key format");
                return;
            }
        } else {
            Optional<Long> length = LegacyValues.typedArrayLength(publicKey);
            if (length.isEmpty()) {
                error(c, "INTERNAL_ERROR", "Failed to complete registration"); // RangeError in the reference
                return;
            }
            if (length.get() == 0) {
                error(c, "INVALID_PUBLIC_KEY", "Invalid public key format");
                return;
            }
        }
        SignedObject proof = Received.signedObject(verification);
        if (proof == null) {
            error(c, "INTERNAL_ERROR", "Failed to complete registration");
            return;
        }
        boolean valid;
        try {
            valid = crypto.verifyLegacyRegistration(proof, kemKey == null ? null : Bytes.of(kemKey));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: legacy proof could not be verified: {1}", c, e.getMessage());
            error(c, "INTERNAL_ERROR", "Failed to complete registration");
            return;
        }
        if (!valid) {
            error(c, "INVALID_PROOF", "Invalid proof");
            return;
        }
        LegacyRegistry.Peer peer = new LegacyRegistry.Peer(id, publicKey, c);
        if (hardened) {
            if (!owners.claim(((JsonValue.JsonString) clientId).value(), proof)) { // C.1 #9: the id is bound
                error(c, "CLIENT_ID_TAKEN", LegacyIdOwners.refusal(JsValues.toJsString(clientId)));
                return;
            }
            if (!registry.putIfAbsent(peer)) {
                error(c, "CLIENT_ID_TAKEN", "Client ID " + JsValues.toJsString(clientId) + " is already taken");
                return;
            }
            clientFeatures.registered(c, Received.at(frame, Received.FEATURES));
        } else {
            registry.put(peer); // REF (C.1 #3): a concurrent registration of the same id overwrites
        }
        send(c, new RegisterAck(true, idText(clientId)), id(FrameEncoder.Verbatim.CLIENT_ID, clientId));
        c.authenticated();
        if (limiter(c) != null) {
            limiter(c).registered("legacy:" + JsValues.toJsString(clientId));
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} registered legacy client {1}", c, JsValues.toJsString(clientId));
        new Drain(c, JsValues.toJsString(clientId)).start();
    }

    private static RateLimits.FrameLimiter limiter(Connection c) {
        return c.state(RateLimits.FrameLimiter.class);
    }

    /**
     * §A.8 delivery: pending messages of this id, oldest first, a page at a time, each marked sent once written;
     * REF: it stops at the first failed write. The connection's next frame waits for its end (hardened).
     */
    private final class Drain extends OfflineDrain<LegacyOfflineRow> {
        private final String recipientId;

        Drain(Connection c, String recipientId) {
            super(c, workers, c.hold());
            this.recipientId = recipientId;
        }

        @Override
        protected Page<LegacyOfflineRow> load(Page.Cursor after) {
            return store.pendingLegacyPage(recipientId, after, ServerConfig.DRAIN_PAGE_ROWS,
                    ServerConfig.DRAIN_PAGE_BYTES);
        }

        @Override
        protected String frame(LegacyOfflineRow row) {
            // The stored message goes out as stored, not parsed into a tree (it may be megabytes of numbers).
            return RawJson.write(new IncomingMessage(RawJson.MARK, row.senderId(), row.timestamp()),
                    row.contentJson());
        }

        @Override
        protected void written(List<LegacyOfflineRow> rows) {
            List<Long> sent = new ArrayList<>(rows.size());
            Map<String, Integer> perSender = new HashMap<>();
            for (LegacyOfflineRow row : rows) {
                sent.add(row.id());
                perSender.merge(row.senderId(), 1, Integer::sum);
            }
            store.markLegacySent(sent);
            metrics.redelivered(PROTOCOL, sent.size());
            perSender.forEach(quota::release);
        }

        @Override
        protected void ended(RuntimeException failure) {
            if (failure != null) {
                error(connection, "INTERNAL_ERROR", "Failed to complete registration");
            }
        }
    }

    // --- discover, message, request_public_key, debug_question ---------------------------------------------

    private void discover(Connection c) {
        try {
            List<JsonValue> ids = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (LegacyRegistry.Peer p : registry.all()) {
                JsonValue id = p.id().value() == null ? JsonValue.nullValue() : p.id().value();
                ids.add(id);
                texts.add(JsValues.toJsString(id));
            }
            // the ids as they registered (REF: numbers stay numbers, an undefined one is written null)
            send(c, new DiscoverResponse(texts),
                    FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.PEERS, new JsonValue.JsonArray(ids)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": discover failed", e);
            error(c, "INTERNAL_ERROR", "Failed to retrieve peer list");
        }
    }

    private void message(Connection c, JsonValue frame) {
        JsonValue targetId = Received.at(frame, Received.TARGET_ID);
        JsonValue message = Received.at(frame, Received.MESSAGE);
        if (!JsValues.truthy(targetId) || !JsValues.truthy(message)) {
            error(c, "INVALID_MESSAGE", "Missing required message fields");
            return;
        }
        LegacyRegistry.Peer sender = registry.bySocket(c);
        if (sender == null) {
            error(c, "REGISTRATION_REQUIRED", "You must register before sending messages");
            return;
        }
        try {
            LegacyRegistry.Peer target = registry.get(new LegacyRegistry.ClientId(targetId));
            if (hardened && target != null && !target.connection().isOpen()) {
                target = null; // its socket is closing: store the message rather than write it into the void
            }
            String senderText = JsValues.toJsString(sender.id().value());
            String targetText = JsValues.toJsString(targetId);
            if (target != null) {
                if (chainRefuses(new SubmissionPolicy.LegacyMessage(senderText, targetText, true))) {
                    error(c, "INTERNAL_ERROR", "Failed to store message");
                    return;
                }
                JsonValue from = sender.id().value();
                send(target.connection(), new IncomingMessage(message, idText(from), null),
                        id(FrameEncoder.Verbatim.FROM_ID, from));
                metrics.accepted(PROTOCOL);
                metrics.deliveredLive(PROTOCOL);
                return;
            }
            storeOffline(c, sender, senderText, targetId, targetText, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": routing failed", e);
            error(c, "INTERNAL_ERROR", "Failed to route message");
        }
    }

    private void storeOffline(Connection c, LegacyRegistry.Peer sender, String senderText, JsonValue targetId,
            String targetText, JsonValue message) {
        LegacyOfflineRow stored;
        synchronized (offlineLock) { // the reference's storage mutex
            if (!quota.tryReserve(senderText)) {
                metrics.refused(PROTOCOL, ServerMetrics.OFFLINE_QUOTA);
                error(c, "INTERNAL_ERROR",
                        "Offline message limit reached (100 messages). Please wait for recipient to come online.");
                return;
            }
            String content = Stringify.write(message); // relayed as stored (RawJson), in the frames' own writing
            if (!OfflineQueueBound.hasRoom(config.limits(), store.pendingLegacyUsage(targetText), targetText,
                    senderText, content)) {
                quota.release(senderText, 1);
                error(c, "INTERNAL_ERROR", OfflineQueueBound.LEGACY_FULL);
                return;
            }
            long now = clock.getAsLong();
            StringBuilder hashText = new StringBuilder("{\"message\":");
            CanonicalJson.write(message, hashText);
            if (sender.id().value() != null) { // JSON.stringify drops an undefined member
                hashText.append(",\"senderId\":");
                CanonicalJson.write(sender.id().value(), hashText);
            }
            hashText.append(",\"targetId\":");
            CanonicalJson.write(targetId, hashText);
            hashText.append(",\"timestamp\":").append(now).append('}');
            String hash = JsHex.encode(crypto.sha256(hashText.toString().getBytes(StandardCharsets.UTF_8)));
            String signature = Base64.getEncoder().encodeToString(
                    crypto.ed25519Sign(nodeSeed, hash.getBytes(StandardCharsets.UTF_8)));
            try {
                stored = store.insertLegacyOffline(new LegacyOfflineRow(0, targetText, senderText, hash,
                        content, signature, now));
            } catch (RuntimeException e) {
                quota.release(senderText, 1);
                LOG.log(System.Logger.Level.WARNING, c + ": offline message not stored", e);
                error(c, "INTERNAL_ERROR", "Failed to store offline message");
                return;
            }
        }
        if (chainRefuses(new SubmissionPolicy.LegacyMessage(senderText, targetText, false))) {
            store.deleteLegacyOffline(stored.id());
            quota.release(senderText, 1);
            error(c, "INTERNAL_ERROR", "Failed to store offline message");
            return;
        }
        metrics.accepted(PROTOCOL);
        metrics.queued(PROTOCOL);
        send(c, new MessageQueued(targetText, "offline", "Message stored for offline delivery"),
                id(FrameEncoder.Verbatim.TARGET_ID, targetId));
    }

    private boolean chainRefuses(SubmissionPolicy.LegacyMessage m) {
        Optional<String> refusal;
        try {
            refusal = policy.recordLegacyMessage(m);
        } catch (RuntimeException e) {
            refusal = Optional.of(String.valueOf(e.getMessage()));
        }
        refusal.ifPresent(reason -> LOG.log(System.Logger.Level.WARNING, "legacy chain write refused: {0}", reason));
        return refusal.isPresent();
    }

    private void requestPublicKey(Connection c, JsonValue frame) {
        JsonValue targetId = Received.at(frame, Received.TARGET_ID);
        if (!JsValues.truthy(targetId)) {
            error(c, "INVALID_MESSAGE", "Missing target ID");
            return;
        }
        try {
            LegacyRegistry.Peer target = registry.get(new LegacyRegistry.ClientId(targetId));
            if (target == null) {
                error(c, "PEER_NOT_FOUND", "Target peer " + JsValues.toJsString(targetId) + " not found");
                return;
            }
            // The registered array comes back unchanged; a non-array that passed the length check prints as [].
            JsonValue key = target.publicKey() instanceof JsonValue.JsonArray ? target.publicKey()
                    : new JsonValue.JsonArray(List.of());
            List<String> targetFeatures = clientFeatures.of(target.connection());
            // features only to clients that announced extensions (an empty list is not written)
            List<String> features = hardened && !clientFeatures.of(c).isEmpty() ? targetFeatures : List.of();
            send(c, new PublicKeyResponse(idText(targetId), key, features),
                    id(FrameEncoder.Verbatim.PEER_ID, targetId));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": public key lookup failed", e);
            error(c, "INTERNAL_ERROR", "Failed to retrieve public key");
        }
    }

    private void debugQuestion(Connection c) {
        if (registry.bySocket(c) == null) {
            error(c, "REGISTRATION_REQUIRED", "You must register before sending debug messages");
            return;
        }
        send(c, new ServerQuestion(UUID.randomUUID().toString(), DEBUG_QUESTION_BODY));
    }

    // --- close (§A.8 Disconnect) -----------------------------------------------------------------------------

    @Override
    public void onClose(Connection c, int code) {
        clientFeatures.closed(c);
        if (stopping) {
            return;
        }
        // REF (C.1 #3): only the socket's first id is released, the others stay as ghosts; hardened: all of them
        List<LegacyRegistry.Peer> gone = hardened ? registry.removeAll(c) : registry.removeFirst(c);
        for (LegacyRegistry.Peer peer : gone) {
            LOG.log(System.Logger.Level.DEBUG, "{0} legacy client {1} disconnected", c,
                    JsValues.toJsString(peer.id().value()));
            String left = FrameText.of(new PeerDisconnected(idText(peer.id().value())),
                    id(FrameEncoder.Verbatim.PEER_ID, peer.id().value()));
            for (LegacyRegistry.Peer p : registry.all()) {
                p.connection().send(left);
            }
        }
    }
}
