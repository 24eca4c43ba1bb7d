package io.github.demosim.internal.l2ps;

import io.github.demosim.Bytes;
import io.github.demosim.ConnectionState;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.HistoryPage;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.L2psStatus;
import io.github.demosim.KeyChangeEvent;
import io.github.demosim.KeyRole;
import io.github.demosim.MessagingPeer;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.internal.envelope.EnvelopeVerifier;
import io.github.demosim.internal.envelope.EnvelopeWriter;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.MessageStatusUpdate;
import io.github.demosim.PublicKeyLookup;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.ServerErrorException;
import io.github.demosim.Subscription;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Challenge;
import io.github.demosim.frame.l2ps.ChallengeResponse;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.internal.peer.Backoff;
import io.github.demosim.internal.peer.InboundError;
import io.github.demosim.internal.peer.Listeners;
import io.github.demosim.internal.peer.MessageCrypto;
import io.github.demosim.internal.peer.MessageCryptoRef;
import io.github.demosim.internal.peer.PeerEngine;
import io.github.demosim.internal.peer.PeerThreads;
import io.github.demosim.internal.peer.Presence;
import io.github.demosim.internal.peer.RecentHashes;
import io.github.demosim.internal.peer.Request;
import io.github.demosim.internal.peer.Signer;
import io.github.demosim.internal.peer.SubmissionOrder;
import io.github.demosim.internal.peer.Unclaimed;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The {@link L2psMessagingPeer} implementation: the L2PS protocol on top of {@link PeerEngine}. */
public final class L2psPeer extends PeerEngine<L2psServerFrame, L2psRegistration> implements L2psMessagingPeer {
    private static final int UNCLAIMED_LIMIT = 10_000;
    private static final int RECENT_HASHES = 16_384;

    /** Everything the builder resolved. */
    record Config(TransportProvider transport, List<TransportOptions> transportOptions, FrameCodec codec,
            Signer signer, MessageCryptoRef crypto, String l2psUid, Duration sendTimeout,
            Duration requestTimeout, Backoff backoff, Set<String> requestedFeatures, TrustStore trustStore) {
    }

    private final Signer signer;
    private final MessageCryptoRef crypto;
    private final String l2psUid;
    private final Duration sendTimeout;
    private final Duration requestTimeout;
    private final List<String> requestedFeatures;

    private final Listeners<ReceivedMessage> messageListeners;
    private final Listeners<String> joinedListeners;
    private final Listeners<String> leftListeners;
    private final Listeners<MessageStatusUpdate> statusListeners;
    private final Listeners<KeyChangeEvent> keyChangeListeners;
    private final TrustStore trustStore;
    private final EnvelopeWriter envelopes;
    /** Judges received messages; {@code null} without crypto, when nothing can be decrypted anyway. */
    private final EnvelopeVerifier verifier;
    private final Map<String, Bytes> kemKeys = new ConcurrentHashMap<>();
    /** Keys whose key directory entry says they read envelopes (lowercase). */
    private final Set<String> readsEnvelopes = ConcurrentHashMap.newKeySet();
    /** Keys the key directory answered for, whatever it said (lowercase). */
    private final Set<String> lookedUp = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<PublicKeyLookup>> lookups = new ConcurrentHashMap<>();
    private final SubmissionOrder order = new SubmissionOrder();

    // control-thread state
    private final Presence presence = new Presence();
    private final RecentHashes seen = new RecentHashes(RECENT_HASHES);
    private final Unclaimed<Message> unclaimed;
    /** Hashes received but not yet handed to listeners: a redelivery of one of these is not acknowledged yet. */
    private final Set<String> handing = new java.util.HashSet<>();
    private final StatusTracker statuses = new StatusTracker();
    /** Whether this server issues registration challenges (extension server_challenge), as far as known. */
    private boolean serverChallenges;
    /** How a server that requires server-bound proofs refuses a reference proof. */
    private static final String BOUND_PROOF_REQUIRED = "Server-bound proof required";
    /** The extensions in use: offered by the server and asked for by this peer. */
    private volatile Set<String> features = Set.of();
    private volatile Set<String> onlineSnapshot = Set.of();
    private volatile L2psRegistration current;

    L2psPeer(Config c, PeerThreads threads) {
        super(threads, c.transport(), c.transportOptions(), c.codec(), L2psServerFrame.class, c.backoff());
        this.unclaimed = new Unclaimed<>(UNCLAIMED_LIMIT, inboundBufferBytes());
        this.signer = c.signer();
        this.crypto = c.crypto();
        this.l2psUid = c.l2psUid();
        this.sendTimeout = c.sendTimeout();
        this.requestTimeout = c.requestTimeout();
        // only a peer that can decrypt can read envelopes: without an identity it does not ask for them
        this.requestedFeatures = c.requestedFeatures().stream().filter(f -> !f.equals(FEATURE_ENVELOPE)
                || c.crypto().get().flatMap(MessageCrypto::ownKemPublicKey).isPresent()).toList();
        this.trustStore = c.trustStore();
        String self = c.signer().publicKeyHex().toLowerCase(Locale.ROOT);
        this.envelopes = new EnvelopeWriter(MessageEnvelope.Profile.L2PS, self, trustStore,
                draft -> draft.withSignature(Bytes.fromHex(c.signer().signHex(
                        new String(draft.signingInput(), StandardCharsets.UTF_8)))));
        this.verifier = c.crypto().get().map(mc -> new EnvelopeVerifier(MessageEnvelope.Profile.L2PS, self,
                mc.constructions(), trustStore, Clock.systemUTC())).orElse(null);
        this.messageListeners = new Listeners<>(threads.events());
        this.joinedListeners = new Listeners<>(threads.events());
        this.leftListeners = new Listeners<>(threads.events());
        this.statusListeners = new Listeners<>(threads.events());
        this.keyChangeListeners = new Listeners<>(threads.events());
    }

    // ---- public API ----

    @Override
    public CompletableFuture<SendResult> send(String to, Encrypted encrypted, String messageHash) {
        requireText(to, "to");
        Objects.requireNonNull(encrypted, "encrypted");
        requireText(messageHash, "messageHash");
        return order.after(CompletableFuture.completedFuture(null),
                ignored -> submit(sendRequest(to, encrypted, messageHash, Optional.empty())));
    }

    @Override
    public CompletableFuture<SendResult> sendText(String to, Bytes recipientKemPublicKey, String text) {
        Objects.requireNonNull(text, "text");
        return send(to, recipientKemPublicKey, OutgoingMessage.text(text));
    }

    @Override
    public CompletableFuture<SendResult> sendText(String to, String text) {
        Objects.requireNonNull(text, "text");
        return send(to, OutgoingMessage.text(text));
    }

    @Override
    public CompletableFuture<SendResult> send(String to, Bytes recipientKemPublicKey, OutgoingMessage message) {
        requireText(to, "to");
        Objects.requireNonNull(recipientKemPublicKey, "recipientKemPublicKey");
        Objects.requireNonNull(message, "message");
        if (recipientKemPublicKey.length() != CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES) {
            throw new io.github.demosim.CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The recipient's ML-KEM-768 "
                    + "public key must be " + CryptoPrimitives.ML_KEM_768_PUBLIC_KEY_BYTES + " bytes, got "
                    + recipientKemPublicKey.length() + ". Use the key the recipient registered (its ML-KEM key, not "
                    + "its Ed25519 or ML-DSA key).");
        }
        MessageCrypto c = crypto.require();
        Optional<MessageEnvelope> draft = envelopes.draft(to, message);
        String name = to.toLowerCase(Locale.ROOT);
        CompletableFuture<Boolean> advertised;
        if (current != null && features.contains(FEATURE_KEY_DIRECTORY) && !lookedUp.contains(name)) {
            // the key is given, but whether the recipient reads envelopes is in the directory: ask once
            CompletableFuture<PublicKeyLookup> pending = lookups.computeIfAbsent(to, this::requestPublicKey);
            pending.whenComplete((k, e) -> lookups.remove(to, pending));
            advertised = pending.handle((answer, failure) -> readsEnvelopes.contains(name));
        } else {
            advertised = CompletableFuture.completedFuture(readsEnvelopes.contains(name));
        }
        return order.after(advertised, adv -> {
            boolean envelope = envelopes.envelopeFor(to, adv);
            Encrypted sealed = c.sealL2ps(recipientKemPublicKey, envelopes.plaintext(to, message, draft, envelope));
            Optional<String> id = envelope ? draft.map(MessageEnvelope::id) : Optional.empty();
            return submit(sendRequest(to, sealed, hashOf(to, sealed), id));
        });
    }

    @Override
    public CompletableFuture<SendResult> send(String to, OutgoingMessage message) {
        requireText(to, "to");
        Objects.requireNonNull(message, "message");
        MessageCrypto c = crypto.require();
        Optional<MessageEnvelope> draft = envelopes.draft(to, message);
        Bytes known = kemKeys.get(to);
        CompletableFuture<Bytes> key;
        if (known != null) {
            key = CompletableFuture.completedFuture(known);
        } else {
            if (current != null && !features.contains(FEATURE_KEY_DIRECTORY)) {
                return CompletableFuture.failedFuture(new ImException(ErrorCode.KEY_NOT_FOUND, "No ML-KEM key is "
                        + "known for " + shortKey(to) + " and the server at " + where() + " has no key directory (it "
                        + "does not advertise '" + FEATURE_KEY_DIRECTORY + "'). Get the recipient's key another way "
                        + "and call sendText(to, recipientKemPublicKey, text)"));
            }
            CompletableFuture<PublicKeyLookup> pending = lookups.computeIfAbsent(to, this::requestPublicKey);
            pending.whenComplete((k, e) -> lookups.remove(to, pending));
            key = pending.thenApply(answer -> {
                Bytes found = answer.kemPublicKey().orElseThrow(() -> new ImException(
                        ErrorCode.KEY_NOT_FOUND, "The server's key directory has no ML-KEM key for "
                        + shortKey(to) + " (the peer never registered one with this server, or is unknown). Pass "
                        + "the key to sendText(to, recipientKemPublicKey, text)"));
                pinEncryptionKey(to, found);
                return found;
            });
        }
        return order.after(key, k -> {
            boolean envelope = envelopes.envelopeFor(to, readsEnvelopes.contains(to.toLowerCase(Locale.ROOT)));
            Encrypted sealed = c.sealL2ps(k, envelopes.plaintext(to, message, draft, envelope));
            Optional<String> id = envelope ? draft.map(MessageEnvelope::id) : Optional.empty();
            return submit(sendRequest(to, sealed, hashOf(to, sealed), id));
        });
    }

    /** Trust on first use for the directory's ML-KEM keys: a different key than the pinned one is reported. */
    private void pinEncryptionKey(String to, Bytes key) {
        String name = to.toLowerCase(Locale.ROOT);
        Bytes pinned = trustStore.pinIfAbsent(name, KeyRole.ENCRYPTION, key);
        if (!pinned.equals(key)) {
            LOG.log(System.Logger.Level.WARNING, () -> "The key directory at " + where() + " returned another ML-KEM "
                    + "key for " + shortKey(to) + " than before; see L2psMessagingPeer.onKeyChange");
            trustStore.pin(name, KeyRole.ENCRYPTION, key);
            keyChangeListeners.dispatch(new KeyChangeEvent(name, KeyRole.ENCRYPTION, pinned, key));
        }
    }

    @Override
    public CompletableFuture<HistoryPage> history(String peerKey, int limit) {
        requireText(peerKey, "peerKey");
        requirePositive(limit, "limit");
        return submit(historyRequest(peerKey, null, limit));
    }

    @Override
    public CompletableFuture<HistoryPage> history(String peerKey, long before, int limit) {
        requireText(peerKey, "peerKey");
        requirePositive(limit, "limit");
        if (before < 1) {
            throw new IllegalArgumentException("before must be at least 1 (ms since the epoch), got " + before);
        }
        return submit(historyRequest(peerKey, before, limit));
    }

    @Override
    public Stream<StoredMessage> historyStream(String peerKey, int pageSize) {
        requireText(peerKey, "peerKey");
        requirePositive(pageSize, "pageSize");
        HistoryWalker walker = new HistoryWalker((before, limit) -> join(submit(historyRequest(peerKey, before, limit))),
                pageSize);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walker,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    @Override
    public CompletableFuture<List<String>> discover() {
        return submit(discoverRequest());
    }

    @Override
    public CompletableFuture<PublicKeyLookup> requestPublicKey(String targetId) {
        requireText(targetId, "targetId");
        return submit(Request.awaiting("request_public_key for " + shortKey(targetId),
                rid -> new RequestPublicKey(targetId, ids.timestamp(), rid), Set.of(PublicKeyResponse.TYPE), targetId,
                null, f -> lookupOf(targetId, (PublicKeyResponse) f), requestTimeout, 0));
    }

    @Override
    public CompletableFuture<MessageStatusUpdate> awaitStatus(String messageHash, L2psStatus status) {
        requireText(messageHash, "messageHash");
        Objects.requireNonNull(status, "status");
        if (status == L2psStatus.UNKNOWN) {
            throw new IllegalArgumentException("status must be a status the server reports, not UNKNOWN");
        }
        CompletableFuture<MessageStatusUpdate> internal = new CompletableFuture<>();
        CompletableFuture<MessageStatusUpdate> result = new CompletableFuture<>();
        internal.whenComplete((v, e) -> threads.complete(result, v, e));
        if (!threads.post(() -> {
            if (controlState() == ConnectionState.CLOSED) {
                internal.completeExceptionally(new ImException(ErrorCode.NOT_CONNECTED, "The peer is closed"));
            } else if (currentRegistration() != null && !features.contains(FEATURE_MESSAGE_STATUS)) {
                internal.completeExceptionally(new ImException(ErrorCode.FEATURE_UNAVAILABLE, "The server at "
                        + where() + " does not push message status (it does not advertise '"
                        + FEATURE_MESSAGE_STATUS + "'); use history() to read a message's status"));
            } else {
                statuses.await(messageHash, status, internal);
            }
        })) {
            internal.completeExceptionally(new ImException(ErrorCode.NOT_CONNECTED, "The peer is closed"));
        }
        return result;
    }

    @Override
    public Optional<String> decrypt(Encrypted encrypted) {
        Objects.requireNonNull(encrypted, "encrypted");
        return crypto.get().flatMap(c -> c.openL2ps(encrypted));
    }

    @Override
    public ReceivedMessage open(StoredMessage stored) {
        Objects.requireNonNull(stored, "stored");
        Optional<String> plaintext = crypto.get().flatMap(c -> c.openL2ps(stored.encrypted()));
        EnvelopeVerifier.Verdict v = plaintext.isPresent() ? verifier.verifyStored(stored.from(), plaintext.get())
                : EnvelopeVerifier.unreadable(stored.from().equalsIgnoreCase(publicKey())
                        ? "Sent by this peer: encrypted for the other party" : "Not encrypted to this peer's key");
        return new ReceivedMessage(stored.from(), stored.messageHash(), stored.encrypted(), false,
                Optional.of(stored.storedAt()), v.text(), v.verification(), v.envelope());
    }

    @Override
    public Subscription onMessage(Consumer<? super ReceivedMessage> listener) {
        Subscription s = messageListeners.add(listener);
        threads.post(this::flushUnclaimed);
        return s;
    }

    @Override
    public Subscription onPeerJoined(Consumer<? super String> listener) {
        return joinedListeners.add(listener);
    }

    @Override
    public Subscription onPeerLeft(Consumer<? super String> listener) {
        return leftListeners.add(listener);
    }

    @Override
    public Subscription onMessageStatus(Consumer<? super MessageStatusUpdate> listener) {
        return statusListeners.add(listener);
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
    public Set<String> onlinePeers() {
        return onlineSnapshot;
    }

    @Override
    public String publicKey() {
        return signer.publicKeyHex();
    }

    @Override
    public Optional<L2psRegistration> registration() {
        return state() == ConnectionState.CONNECTED ? Optional.ofNullable(current) : Optional.empty();
    }

    @Override
    public String toString() {
        return "L2psMessagingPeer[" + shortKey(publicKey()) + " in " + l2psUid + " at " + where() + ", " + state() + "]";
    }

    // ---- requests ----

    private Request<L2psServerFrame, SendResult> sendRequest(String to, Encrypted encrypted, String messageHash,
            Optional<String> messageId) {
        return Request.<L2psServerFrame, SendResult>awaiting("send " + shortKey(messageHash) + " to " + shortKey(to),
                rid -> new Send(to, encrypted, messageHash, ids.timestamp(), rid),
                Set.of(MessageSent.TYPE, MessageQueued.TYPE), messageHash, null,
                f -> f instanceof MessageSent s
                        ? new SendResult(messageHash, SendOutcome.DELIVERED, L2psStatus.fromWire(s.l2psStatus()),
                                messageId)
                        : new SendResult(messageHash, SendOutcome.QUEUED,
                                L2psStatus.fromWire(((MessageQueued) f).status()), messageId),
                sendTimeout, 0).resendable();
    }

    private Request<L2psServerFrame, HistoryPage> historyRequest(String peerKey, Long before, int limit) {
        String self = publicKey();
        return Request.awaiting("history with " + shortKey(peerKey),
                rid -> {
                    long ts = ids.timestamp();
                    String proof = signer.signHex("history:" + peerKey + ":" + ts);
                    return new History(peerKey, proof, before, limit, ts, rid);
                },
                Set.of(HistoryResponse.TYPE), null,
                // no echo, no key: tell concurrent history requests apart by what the page can hold
                f -> {
                    HistoryResponse h = (HistoryResponse) f;
                    return h.messages().size() <= limit && h.messages().stream().allMatch(m ->
                            (before == null || m.timestamp() < before)
                                    && ((m.from().equals(self) && m.to().equals(peerKey))
                                            || (m.from().equals(peerKey) && m.to().equals(self))));
                },
                f -> new HistoryPage(((HistoryResponse) f).messages(), ((HistoryResponse) f).hasMore()),
                requestTimeout, 0);
    }

    private Request<L2psServerFrame, List<String>> discoverRequest() {
        return Request.awaiting("discover", rid -> new Discover(ids.timestamp(), rid), Set.of(DiscoverResponse.TYPE),
                null, null, f -> {
                    List<String> peers = ((DiscoverResponse) f).peers();
                    resyncPresence(peers);
                    return peers;
                }, requestTimeout, 0);
    }

    @Override
    protected Request<L2psServerFrame, L2psRegistration> registerRequest() {
        return registerRequest(null);
    }

    /**
     * Extension server_challenge: once this server has advertised it (or refused a proof for want of it), every
     * registration first asks for a nonce and signs it, so that the proof is worthless anywhere else.
     */
    @Override
    protected CompletableFuture<L2psRegistration> register() {
        if (!requestedFeatures.contains(FEATURE_SERVER_CHALLENGE)) {
            return registrationStep(registerRequest(null));
        }
        if (serverChallenges) {
            return registerWithChallenge();
        }
        return registrationStep(registerRequest(null)).exceptionallyCompose(e -> {
            if (e instanceof ServerErrorException s && "INVALID_PROOF".equals(s.serverCode())
                    && s.serverMessage().orElse("").startsWith(BOUND_PROOF_REQUIRED)) {
                serverChallenges = true;
                return registerWithChallenge();
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    private CompletableFuture<L2psRegistration> registerWithChallenge() {
        Request<L2psServerFrame, String> challenge = Request.awaiting("challenge for the registration at " + where(),
                rid -> new Challenge(ids.timestamp(), rid), Set.of(ChallengeResponse.TYPE), null, null,
                f -> ((ChallengeResponse) f).nonce(), requestTimeout, 0);
        return registrationStep(challenge).exceptionallyCompose(e -> {
            if (e instanceof ServerErrorException s && "INVALID_MESSAGE".equals(s.serverCode())
                    && s.serverMessage().orElse("").equals("Unknown type: " + Challenge.TYPE)) {
                serverChallenges = false; // another server answers at this address now
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(e);
        }).thenCompose(nonce -> registrationStep(registerRequest(nonce)));
    }

    /** The register request, with a proof bound to the server's {@code nonce}, or a reference proof if null. */
    private Request<L2psServerFrame, L2psRegistration> registerRequest(String nonce) {
        String kem = crypto.get().flatMap(MessageCrypto::ownKemPublicKey).map(Bytes::toBase64).orElse(null);
        List<String> features = requestedFeatures.stream()
                .filter(f -> nonce != null || !f.equals(FEATURE_SERVER_CHALLENGE)).toList();
        return Request.awaiting("register " + shortKey(publicKey()) + " in " + l2psUid,
                rid -> {
                    long ts = ids.timestamp();
                    String proof = signer.signHex(nonce == null ? DemosCrypto.registerProofMessage(publicKey(), ts)
                            : DemosCrypto.boundRegisterProofMessage(publicKey(), l2psUid, ts, nonce));
                    return new Register(publicKey(), l2psUid, proof,
                            requestedFeatures.contains(FEATURE_KEY_DIRECTORY) ? kem : null, features, ts, rid);
                },
                Set.of(Registered.TYPE), null, null,
                f -> {
                    Registered r = (Registered) f;
                    return new L2psRegistration(r.publicKey(), r.l2psUid(), r.onlinePeers(), Set.copyOf(r.features()));
                },
                requestTimeout, 0);
    }

    // ---- engine hooks (control thread) ----

    @Override
    protected Optional<ImException> otherProtocol(String text) {
        return answeredIn(text, LegacyServerFrame.class, "it is a legacy signaling server (default port "
                + MessagingPeer.DEFAULT_PORT + "), not L2PS messaging. Point this L2PS client at the L2PS port ("
                + DEFAULT_PORT + " by default), or use MessagingPeer for the legacy protocol");
    }

    @Override
    protected void onRegistered(L2psRegistration registration, boolean reconnect) {
        features = registration.features().stream().filter(requestedFeatures::contains)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        serverChallenges = features.contains(FEATURE_SERVER_CHALLENGE);
        current = registration;
        resyncPresence(registration.onlinePeers());
        if (reconnect) {
            // the registration's list is a snapshot; discover confirms it once our queued requests can follow
            submitFromControl(discoverRequest()).whenComplete((peers, e) -> {
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
        statuses.failAll(cause);
    }

    /** A hardened server (it offers ack) answers a repeated hash from the same sender with the first answer. */
    @Override
    protected boolean resendsAfterLoss() {
        return features.contains(FEATURE_ACK);
    }

    @Override
    protected boolean isPermanent(ImException failure) {
        return failure instanceof ServerErrorException s && Set.of("INVALID_PROOF", "L2PS_NOT_FOUND", "INVALID_MESSAGE")
                .contains(s.serverCode());
    }

    @Override
    protected String sentRequestId(Frame request) {
        return ((L2psFrame) request).requestId();
    }

    @Override
    protected String requestIdOf(L2psServerFrame frame) {
        return frame.requestId();
    }

    @Override
    protected String replyKeyOf(L2psServerFrame frame) {
        if (frame instanceof MessageSent s) {
            return s.messageHash();
        }
        if (frame instanceof MessageQueued q) {
            return q.messageHash();
        }
        if (frame instanceof PublicKeyResponse p) {
            return p.targetId();
        }
        return null;
    }

    @Override
    protected Optional<InboundError> asError(L2psServerFrame frame) {
        return frame instanceof ErrorFrame e ? Optional.of(L2psErrors.read(e)) : Optional.empty();
    }

    @Override
    protected void onUnsolicited(L2psServerFrame frame) {
        if (frame instanceof Message m) {
            onMessageFrame(m);
        } else if (frame instanceof PeerJoined j) {
            if (!j.publicKey().equals(publicKey()) && presence.join(j.publicKey())) {
                onlineSnapshot = presence.snapshot();
                joinedListeners.dispatch(j.publicKey());
            }
        } else if (frame instanceof PeerLeft l) {
            if (presence.leave(l.publicKey())) {
                onlineSnapshot = presence.snapshot();
                leftListeners.dispatch(l.publicKey());
            }
        } else if (frame instanceof MessageStatus s) {
            MessageStatusUpdate update = new MessageStatusUpdate(s.messageHash(), L2psStatus.fromWire(s.status()),
                    Optional.ofNullable(s.l2psTxHash()));
            statuses.update(update);
            statusListeners.dispatch(update);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "No request waits for " + frame.type() + " from " + where());
        }
    }

    private void resyncPresence(List<String> peers) {
        Presence.Diff diff = presence.replace(peers.stream().filter(p -> !p.equals(publicKey())).toList());
        onlineSnapshot = presence.snapshot();
        diff.left().forEach(leftListeners::dispatch);
        diff.joined().forEach(joinedListeners::dispatch);
    }

    private void onMessageFrame(Message m) {
        if (!seen.firstTime(m.messageHash())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Dropped duplicate message " + m.messageHash());
            if (!handing.contains(m.messageHash())) {
                acknowledge(m);
            }
            return;
        }
        handing.add(m.messageHash());
        for (Message dropped : unclaimed.add(m, inboundCost())) {
            handing.remove(dropped.messageHash());
            errorListeners.dispatch(unclaimed.dropped(", " + dropped.messageHash()));
        }
        flushUnclaimed();
    }

    private void flushUnclaimed() {
        if (messageListeners.isEmpty()) {
            return;
        }
        unclaimed.handTo(m -> threads.events().execute(() -> {
            messageListeners.deliverNow(received(m));
            threads.post(() -> {
                handing.remove(m.messageHash());
                acknowledge(m);
            });
        }));
    }

    /** Decrypts and judges a message (event thread: the verifier's checks of one message never interleave). */
    private ReceivedMessage received(Message m) {
        Optional<String> plaintext = crypto.get().flatMap(c -> c.openL2ps(m.encrypted()));
        EnvelopeVerifier.Verdict v = plaintext.isPresent() ? verifier.verify(m.from(), plaintext.get())
                : EnvelopeVerifier.unreadable(crypto.get().flatMap(MessageCrypto::ownKemPublicKey).isEmpty()
                        ? "This peer has no identity to decrypt with" : "Not encrypted to this peer's ML-KEM key, "
                        + "or altered on the way");
        report(m.from(), v);
        return new ReceivedMessage(m.from(), m.messageHash(), m.encrypted(), m.offline(),
                Optional.ofNullable(m.sentAt()).map(Instant::ofEpochMilli), v.text(), v.verification(), v.envelope());
    }

    private void report(String from, EnvelopeVerifier.Verdict v) {
        v.keyChange().ifPresent(keyChangeListeners::dispatch);
        if (v.verification().failed()) {
            errorListeners.dispatch(new ErrorEvent(new ImException(ErrorCode.SENDER_VERIFICATION_FAILED,
                    "A message in the name of " + shortKey(from) + " failed sender verification ("
                    + v.verification().status() + "): " + v.verification().detail()), false));
        }
    }

    private void acknowledge(Message m) {
        if (features.contains(FEATURE_ACK)) {
            sendWithoutReply(new Ack(m.messageHash(), ids.timestamp(), null));
        }
    }

    private PublicKeyLookup lookupOf(String targetId, PublicKeyResponse r) {
        if (r.kemPublicKey() != null) {
            lookedUp.add(targetId.toLowerCase(Locale.ROOT)); // an entry exists; none yet may mean "not registered yet"
        }
        if (r.features().contains(FEATURE_ENVELOPE)) {
            readsEnvelopes.add(targetId.toLowerCase(Locale.ROOT));
        } else if (r.kemPublicKey() != null) {
            readsEnvelopes.remove(targetId.toLowerCase(Locale.ROOT)); // its directory entry says no more
        }
        Optional<Bytes> kem = Optional.empty();
        if (r.kemPublicKey() != null && !r.kemPublicKey().isEmpty()) {
            try {
                Bytes key = Bytes.fromBase64(r.kemPublicKey());
                kemKeys.put(targetId, key);
                kem = Optional.of(key);
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "The server sent an ML-KEM key for " + targetId
                        + " that is not base64; ignored");
            }
        }
        return new PublicKeyLookup(r.targetId() == null ? targetId : r.targetId(),
                Optional.ofNullable(r.publicKey()), kem);
    }

    // ---- helpers ----

    private String hashOf(String to, Encrypted e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {publicKey(), to, e.ciphertext(), e.nonce(),
                    Objects.requireNonNullElse(e.ephemeralKey(), "")}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return Bytes.of(sha.digest()).toHex();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    static String shortKey(String key) {
        return key.length() <= 12 ? key : key.substring(0, 8) + "…";
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
