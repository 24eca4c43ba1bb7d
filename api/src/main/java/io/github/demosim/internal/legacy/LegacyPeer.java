package io.github.demosim.internal.legacy;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.ConnectionState;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.LegacyRegistration;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.KeyChangeEvent;
import io.github.demosim.KeyRole;
import io.github.demosim.MessageQueuedEvent;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.internal.envelope.EnvelopeVerifier;
import io.github.demosim.internal.envelope.EnvelopeWriter;
import io.github.demosim.MessagingPeer;
import io.github.demosim.RequestOptions;
import io.github.demosim.ServerErrorException;
import io.github.demosim.ServerQuestionEvent;
import io.github.demosim.Subscription;
import io.github.demosim.TextMessage;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.MessageQueued;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.PublicKeyResponse;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.internal.peer.Backoff;
import io.github.demosim.internal.peer.InboundError;
import io.github.demosim.internal.peer.Listeners;
import io.github.demosim.internal.peer.MessageCrypto;
import io.github.demosim.internal.peer.PeerEngine;
import io.github.demosim.internal.peer.PeerThreads;
import io.github.demosim.internal.peer.Presence;
import io.github.demosim.internal.peer.Request;
import io.github.demosim.internal.peer.SubmissionOrder;
import io.github.demosim.internal.peer.Unclaimed;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The {@link MessagingPeer} implementation: the legacy signaling protocol on top of {@link PeerEngine}. */
public final class LegacyPeer extends PeerEngine<LegacyServerFrame, LegacyRegistration> implements MessagingPeer {
    private static final int UNCLAIMED_LIMIT = 10_000;

    /** Everything the builder resolved. */
    record Config(TransportProvider transport, List<TransportOptions> transportOptions, FrameCodec codec,
            MessageCrypto crypto, String clientId, Duration requestTimeout, Backoff backoff, Set<String> features,
            TrustStore trustStore) {
    }

    private final MessageCrypto crypto;
    private final String clientId;
    private final Duration requestTimeout;
    private final Bytes ownKemKey;
    private final Map<String, Bytes> kemKeys = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Bytes>> lookups = new ConcurrentHashMap<>();
    /** Client ids whose key lookup said they read envelopes. */
    private final Set<String> readsEnvelopes = ConcurrentHashMap.newKeySet();
    private final List<String> features;
    private final TrustStore trustStore;
    private final EnvelopeWriter envelopes;
    private final EnvelopeVerifier verifier;
    private final SubmissionOrder order = new SubmissionOrder();

    private final Listeners<TextMessage> messageListeners;
    private final Listeners<MessageQueuedEvent> queuedListeners;
    private final Listeners<String> disconnectedListeners;
    private final Listeners<ServerQuestionEvent> questionListeners;
    private final Listeners<KeyChangeEvent> keyChangeListeners;

    // control-thread state
    private final Presence presence = new Presence();
    private final Unclaimed<IncomingMessage> unclaimed;
    private volatile Set<String> onlineSnapshot = Set.of();
    private volatile LegacyRegistration current;
    /**
     * The last {@code discover} asked (the user's or the presence re-sync's); the next is written only once it is
     * answered. A {@code discover} reply carries nothing to match it by but its type, and a reference server
     * handles a connection's frames concurrently (legacy-and-crypto.md §A.6): of two discovers in flight, the
     * older one's reply, read before a peer registered, could arrive second and answer the newer request.
     */
    private CompletableFuture<?> lastDiscover = CompletableFuture.completedFuture(null);
    private final Object discoverLock = new Object();

    LegacyPeer(Config c, PeerThreads threads) {
        super(threads, c.transport(), c.transportOptions(), c.codec(), LegacyServerFrame.class, c.backoff());
        this.unclaimed = new Unclaimed<>(UNCLAIMED_LIMIT, inboundBufferBytes());
        this.crypto = c.crypto();
        this.clientId = c.clientId();
        this.requestTimeout = c.requestTimeout();
        this.ownKemKey = crypto.ownKemPublicKey().orElseThrow();
        this.features = List.copyOf(c.features());
        this.trustStore = c.trustStore();
        this.envelopes = new EnvelopeWriter(MessageEnvelope.Profile.LEGACY, clientId, trustStore,
                crypto::signEnvelope);
        this.verifier = new EnvelopeVerifier(MessageEnvelope.Profile.LEGACY, clientId, crypto.constructions(),
                trustStore, Clock.systemUTC());
        this.messageListeners = new Listeners<>(threads.events());
        this.queuedListeners = new Listeners<>(threads.events());
        this.disconnectedListeners = new Listeners<>(threads.events());
        this.questionListeners = new Listeners<>(threads.events());
        this.keyChangeListeners = new Listeners<>(threads.events());
    }

    // ---- public API ----

    @Override
    public CompletableFuture<List<String>> discover() {
        synchronized (discoverLock) {
            CompletableFuture<List<String>> next = lastDiscover.handle((v, e) -> null)
                    .thenCompose(ignored -> submit(discoverRequest()));
            lastDiscover = next;
            return next;
        }
    }

    @Override
    public CompletableFuture<Bytes> requestPublicKey(String targetId) {
        requireText(targetId, "clientId");
        return submit(Request.awaiting("request_public_key for " + targetId, rid -> new RequestPublicKey(targetId),
                Set.of(PublicKeyResponse.TYPE), targetId, null, f -> keyOf(targetId, (PublicKeyResponse) f),
                requestTimeout, 0));
    }

    @Override
    public CompletableFuture<Void> sendText(String targetId, String text) {
        Objects.requireNonNull(text, "text");
        return send(targetId, OutgoingMessage.text(text)).thenApply(id -> null);
    }

    @Override
    public CompletableFuture<Void> sendText(String targetId, Bytes kemPublicKey, String text) {
        Objects.requireNonNull(text, "text");
        return send(targetId, kemPublicKey, OutgoingMessage.text(text)).thenApply(id -> null);
    }

    @Override
    public CompletableFuture<Optional<String>> send(String targetId, OutgoingMessage message) {
        requireText(targetId, "targetId");
        Objects.requireNonNull(message, "message");
        Optional<MessageEnvelope> draft = envelopes.draft(targetId, message);
        Bytes known = kemKeys.get(targetId);
        CompletableFuture<Bytes> key = known != null ? CompletableFuture.completedFuture(known)
                : lookup(targetId).handle((k, e) -> {
                    if (e == null) {
                        return k;
                    }
                    Throwable cause = unwrap(e);
                    if (cause instanceof ServerErrorException s && "PEER_NOT_FOUND".equals(s.serverCode())) {
                        throw new ImException(ErrorCode.KEY_NOT_FOUND, "No ML-KEM key is known for '" + targetId
                                + "': the legacy server gives only the keys of online clients, and it is not online."
                                + " Pass its key, sendText(targetId, kemPublicKey, text), and the server stores the"
                                + " message until it connects", s);
                    }
                    throw e instanceof java.util.concurrent.CompletionException c ? c
                            : new java.util.concurrent.CompletionException(e);
                });
        return order.after(key, k -> {
            boolean envelope = envelopes.envelopeFor(targetId, readsEnvelopes.contains(targetId));
            EncryptedObject sealed = crypto.sealLegacy(k, envelopes.plaintext(targetId, message, draft, envelope));
            return submitMessage(targetId, sealed, envelope ? draft.map(MessageEnvelope::id) : Optional.empty());
        });
    }

    @Override
    public CompletableFuture<Optional<String>> send(String targetId, Bytes kemPublicKey, OutgoingMessage message) {
        requireText(targetId, "targetId");
        Objects.requireNonNull(kemPublicKey, "kemPublicKey");
        Objects.requireNonNull(message, "message");
        Optional<MessageEnvelope> draft = envelopes.draft(targetId, message);
        boolean envelope = envelopes.envelopeFor(targetId, readsEnvelopes.contains(targetId));
        String plaintext;
        try {
            plaintext = envelopes.plaintext(targetId, message, draft, envelope);
        } catch (ImException notForThisRecipient) {
            return CompletableFuture.failedFuture(notForThisRecipient);
        }
        EncryptedObject sealed = crypto.sealLegacy(kemPublicKey, plaintext);
        kemKeys.put(targetId, kemPublicKey);
        Optional<String> id = envelope ? draft.map(MessageEnvelope::id) : Optional.empty();
        return order.after(CompletableFuture.completedFuture(null), ignored -> submitMessage(targetId, sealed, id));
    }

    /** One key request per target at a time, shared by the messages waiting for it. */
    private CompletableFuture<Bytes> lookup(String targetId) {
        CompletableFuture<Bytes> f = lookups.computeIfAbsent(targetId, this::requestPublicKey);
        f.whenComplete((k, e) -> lookups.remove(targetId, f));
        return f;
    }

    private CompletableFuture<Optional<String>> submitMessage(String targetId, EncryptedObject sealed,
            Optional<String> messageId) {
        return submit(Request.written("message to " + targetId, rid -> new SendMessage(targetId, sealed.toJson()),
                requestTimeout)).thenApply(written -> messageId);
    }

    @Override
    public CompletableFuture<LegacyServerFrame> sendToServerAndWait(LegacyClientFrame frame, String expectedType,
            RequestOptions options) {
        Objects.requireNonNull(frame, "frame");
        requireText(expectedType, "expectedType");
        Objects.requireNonNull(options, "options");
        String key = frame instanceof RequestPublicKey r && PublicKeyResponse.TYPE.equals(expectedType)
                ? r.targetId() : null;
        return submit(Request.awaiting(frame.type() + " (waiting for " + expectedType + ")", rid -> frame,
                Set.of(expectedType), key, options.filter(), f -> f, options.timeout(), options.retries()));
    }

    @Override
    public CompletableFuture<Void> sendToServer(LegacyClientFrame frame) {
        Objects.requireNonNull(frame, "frame");
        return submit(Request.written(frame.type(), rid -> frame, requestTimeout));
    }

    @Override
    public CompletableFuture<Void> respondToServer(String questionId, JsonValue response) {
        requireText(questionId, "questionId");
        Objects.requireNonNull(response, "response");
        return submit(Request.written("peer_response to question " + questionId,
                rid -> new PeerResponse(questionId, response), requestTimeout));
    }

    @Override
    public Subscription onMessage(Consumer<? super TextMessage> listener) {
        Subscription s = messageListeners.add(listener);
        threads.post(this::flushUnclaimed);
        return s;
    }

    @Override
    public Subscription onMessageQueued(Consumer<? super MessageQueuedEvent> listener) {
        return queuedListeners.add(listener);
    }

    @Override
    public Subscription onPeerLeft(Consumer<? super String> listener) {
        return disconnectedListeners.add(listener);
    }

    @Override
    public Subscription onServerQuestion(Consumer<? super ServerQuestionEvent> listener) {
        return questionListeners.add(listener);
    }

    @Override
    public Subscription onKeyChange(Consumer<? super KeyChangeEvent> listener) {
        return keyChangeListeners.add(listener);
    }

    @Override
    public TrustStore trustStore() {
        return trustStore;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public Set<String> onlinePeers() {
        return onlineSnapshot;
    }

    @Override
    public Optional<LegacyRegistration> registration() {
        return state() == ConnectionState.CONNECTED ? Optional.ofNullable(current) : Optional.empty();
    }

    @Override
    public String toString() {
        return "MessagingPeer[" + clientId + " at " + where() + ", " + state() + "]";
    }

    // ---- requests ----

    private Request<LegacyServerFrame, List<String>> discoverRequest() {
        return Request.awaiting("discover", rid -> new Discover(), Set.of(DiscoverResponse.TYPE), null, null, f -> {
            List<String> peers = ((DiscoverResponse) f).peers();
            presence.replace(peers.stream().filter(p -> p != null && !p.equals(clientId)).toList());
            onlineSnapshot = presence.snapshot();
            return peers;
        }, requestTimeout, 0);
    }

    @Override
    protected Request<LegacyServerFrame, LegacyRegistration> registerRequest() {
        return Request.awaiting("register " + clientId,
                rid -> new Register(clientId, ownKemKey, crypto.legacyRegistrationProof(), features),
                Set.of(RegisterAck.TYPE), null, null,
                f -> new LegacyRegistration(Objects.requireNonNullElse(((RegisterAck) f).clientId(), clientId)),
                requestTimeout, 0);
    }

    private Bytes keyOf(String targetId, PublicKeyResponse r) {
        if (!(r.publicKey() instanceof JsonValue.JsonArray array)
                || array.elements().size() != CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES) {
            throw new CodecException(ErrorCode.CODEC_INVALID_FRAME, "The server returned a public key for " + targetId
                    + " that is not an array of " + CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES + " bytes; the peer "
                    + "registered a malformed key (legacy-and-crypto.md §C.1 #15)", "payload.publicKey", -1, null);
        }
        byte[] key = new byte[array.elements().size()];
        for (int i = 0; i < key.length; i++) {
            JsonValue v = array.elements().get(i);
            int b = v instanceof JsonValue.JsonNumber n ? intOrMinusOne(n) : -1;
            if (b < 0 || b > 255) {
                throw new CodecException(ErrorCode.CODEC_INVALID_FRAME, "Byte " + i + " of the public key of "
                        + targetId + " is not an integer in 0..255", "payload.publicKey[" + i + "]", -1, null);
            }
            key[i] = (byte) b;
        }
        Bytes bytes = Bytes.of(key);
        kemKeys.put(targetId, bytes);
        pinEncryptionKey(targetId, bytes);
        if (r.features().contains(FEATURE_ENVELOPE)) {
            readsEnvelopes.add(targetId);
        } else {
            readsEnvelopes.remove(targetId);
        }
        return bytes;
    }

    /**
     * Trust on first use for the ML-KEM keys the server returns (legacy-and-crypto.md §C.1 #9: the id's owner has
     * a new key, or someone else holds the id now): a different key than the pinned one is reported, then pinned.
     */
    private void pinEncryptionKey(String targetId, Bytes key) {
        Bytes pinned = trustStore.pinIfAbsent(targetId, KeyRole.ENCRYPTION, key);
        if (!pinned.equals(key)) {
            LOG.log(System.Logger.Level.WARNING, () -> "The ML-KEM key of client id " + targetId + " at " + where()
                    + " changed; see MessagingPeer.onKeyChange");
            trustStore.pin(targetId, KeyRole.ENCRYPTION, key);
            keyChangeListeners.dispatch(new KeyChangeEvent(targetId, KeyRole.ENCRYPTION, pinned, key));
        }
    }

    private static int intOrMinusOne(JsonValue.JsonNumber n) {
        try {
            return n.value().intValueExact();
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    // ---- engine hooks (control thread) ----

    @Override
    protected Optional<ImException> otherProtocol(String text) {
        return answeredIn(text, L2psServerFrame.class, "it is an L2PS messaging server (default port "
                + L2psMessagingPeer.DEFAULT_PORT + "), not legacy signaling. Point this legacy client at the legacy"
                + " port (" + DEFAULT_PORT + " by default), or use L2psMessagingPeer for the L2PS protocol");
    }

    @Override
    protected void onRegistered(LegacyRegistration registration, boolean reconnect) {
        current = registration;
        if (reconnect) {
            CompletableFuture<List<String>> resync;
            synchronized (discoverLock) {
                // written before the outbox is flushed, unless a discover still waits (then right after it)
                resync = lastDiscover.isDone() ? submitFromControl(discoverRequest())
                        : lastDiscover.handle((v, e) -> null).thenCompose(ignored -> submit(discoverRequest()));
                lastDiscover = resync;
            }
            resync.whenComplete((peers, e) -> {
                if (e != null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "Presence re-sync failed: " + e);
                }
            });
        }
    }

    @Override
    protected void onDisconnected(ImException cause) {
        current = null;
        presence.clear();
        onlineSnapshot = Set.of();
    }

    @Override
    protected boolean isPermanent(ImException failure) {
        // CLIENT_ID_TAKEN is not, unless the id is bound to another key (a hardened server): after a drop the
        // server may still hold our old socket for a while
        return failure instanceof ServerErrorException s
                && (Set.of("INVALID_PROOF", "INVALID_PUBLIC_KEY", "INVALID_MESSAGE").contains(s.serverCode())
                        || ("CLIENT_ID_TAKEN".equals(s.serverCode())
                                && s.serverMessage().orElse("").contains("bound to another key")));
    }

    @Override
    protected String sentRequestId(Frame request) {
        return null;
    }

    @Override
    protected String requestIdOf(LegacyServerFrame frame) {
        return null;
    }

    @Override
    protected String replyKeyOf(LegacyServerFrame frame) {
        return frame instanceof PublicKeyResponse r ? r.peerId() : null;
    }

    @Override
    protected Optional<InboundError> asError(LegacyServerFrame frame) {
        return frame instanceof ErrorFrame e ? Optional.of(LegacyErrors.read(e)) : Optional.empty();
    }

    @Override
    protected void onUnsolicited(LegacyServerFrame frame) {
        if (frame instanceof IncomingMessage m) {
            for (IncomingMessage dropped : unclaimed.add(m, inboundCost())) {
                errorListeners.dispatch(unclaimed.dropped(""));
            }
            flushUnclaimed();
        } else if (frame instanceof PeerDisconnected d) {
            if (presence.leave(d.peerId())) {
                onlineSnapshot = presence.snapshot();
            }
            disconnectedListeners.dispatch(d.peerId());
        } else if (frame instanceof MessageQueued q) {
            queuedListeners.dispatch(new MessageQueuedEvent(Objects.requireNonNullElse(q.targetId(), ""),
                    Objects.requireNonNullElse(q.status(), ""), Objects.requireNonNullElse(q.message(), "")));
        } else if (frame instanceof ServerQuestion q) {
            questionListeners.dispatch(new ServerQuestionEvent(Objects.requireNonNullElse(q.questionId(), ""),
                    q.question() == null ? JsonValue.nullValue() : q.question()));
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "No request waits for " + frame.type() + " from " + where());
        }
    }

    private void flushUnclaimed() {
        if (messageListeners.isEmpty()) {
            return;
        }
        unclaimed.handTo(m -> threads.events().execute(() -> decryptAndDeliver(m)));
    }

    private void decryptAndDeliver(IncomingMessage m) {
        String from = Objects.requireNonNullElse(m.fromId(), "");
        Optional<EncryptedObject> sealed = EncryptedObject.fromJson(m.message());
        if (sealed.isEmpty()) {
            errorListeners.deliverNow(new ErrorEvent(new CodecException(ErrorCode.CODEC_INVALID_FRAME, "A message from '"
                    + from + "' is not an encrypted object ({algorithm, serializedCipherText, serializedEncryptedData})"
                    + "; it was not delivered", "payload.message", -1, null), false));
            return;
        }
        String text;
        try {
            text = crypto.openLegacy(sealed.get());
        } catch (CryptoException e) {
            errorListeners.deliverNow(new ErrorEvent(new CryptoException(ErrorCode.CRYPTO_DECRYPT_FAILED,
                    "A message from '" + from + "' does not decrypt with this peer's key (" + e.getMessage()
                    + "); it was not delivered. Was it encrypted to a key this client id no longer has?", e), false));
            return;
        }
        EnvelopeVerifier.Verdict v = verifier.verify(from, text);
        v.keyChange().ifPresent(keyChangeListeners::dispatch);
        if (v.verification().failed()) {
            errorListeners.dispatch(new ErrorEvent(new ImException(ErrorCode.SENDER_VERIFICATION_FAILED,
                    "A message in the name of '" + from + "' failed sender verification (" + v.verification().status()
                    + "): " + v.verification().detail()), false));
        }
        messageListeners.deliverNow(new TextMessage(from, v.text().orElse(""),
                Optional.ofNullable(m.timestamp()).map(Instant::ofEpochMilli), v.verification(), v.envelope()));
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
