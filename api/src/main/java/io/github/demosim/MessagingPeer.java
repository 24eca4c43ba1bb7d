package io.github.demosim;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A client of the legacy Demos signaling protocol (default port 3005, {@code legacy-and-crypto.md} §A), with
 * encryption built in: it registers a client id with its identity's ML-KEM-768 key and an ML-DSA-65 proof,
 * encrypts what it sends to the recipient's registered key (ml-kem-aes) and decrypts what it receives.
 *
 * <pre>{@code
 * try (MessagingPeer alice = MessagingPeer.newBuilder()
 *         .serverUri("ws://127.0.0.1:3005")
 *         .clientId("alice")
 *         .identity(Identity.fromMasterSeed(seed))
 *         .build()) {
 *     alice.onMessage(m -> System.out.println((m.authenticated() ? "" : "(unverified) ") + m.from() + ": "
 *             + m.text()));
 *     alice.connect().join();
 *     alice.sendText("bob", "hello").join();
 * }
 * }</pre>
 *
 * <h2>What a send means</h2>
 * The server acknowledges nothing when it relays a message to an online target, so
 * {@link #sendText(String, String)} completes when the frame is written to the socket. When the target was
 * offline the server stores the message and says so with {@code message_queued}, reported to
 * {@link #onMessageQueued} listeners; a refusal ({@code Offline message limit reached}, {@code Failed to store
 * message}) arrives as an error frame and is reported to {@link #onError} listeners. Neither can be tied to
 * one send with certainty: the protocol carries no message id.
 *
 * <h2>Fixed defects of the TypeScript SDK ({@code legacy-and-crypto.md} §C.1)</h2>
 * <ul>
 *   <li>Waiting requests are matched by reply type (and, for keys, by client id) and are never broken by
 *       unrelated frames such as an incoming message (#5). Error frames carry no correlation: this peer
 *       attributes one to the oldest waiting request of the kind its text names ({@code Target peer bob not
 *       found} fails the key request for {@code bob}), else, when the text names none, to the oldest waiting
 *       request; every error frame also reaches {@link #onError} (#6, which the SDK never did).</li>
 *   <li>After a lost connection the peer reconnects with back-off and registers again (#4); given several servers
 *       ({@link Builder#serverUris(List)}) it fails over between them ({@code docs/failover.md}).</li>
 *   <li>Messages can be sent to offline targets whose key is known, cached from an earlier lookup or given
 *       explicitly (#8).</li>
 *   <li>Listeners get decrypted text and the sender, never raw control frames; offline replays carry their
 *       storage time; a message that does not decrypt is reported to {@link #onError}, not dropped silently.</li>
 *   <li>Messages that arrive while no message listener is registered are kept (up to 10,000) for the first
 *       one (#10).</li>
 *   <li>Senders are authenticated where both sides can (#11, {@code docs/envelopes.md}): a client registers with
 *       {@code features: ["envelope"]}; to a target whose key lookup says it reads envelopes (or whose signing key
 *       is pinned in the {@link TrustStore}), a message travels as a {@link io.github.demosim.crypto.MessageEnvelope}
 *       signed with the sender's ML-DSA-65 key, the key its registration proof is made with (a hardened server
 *       binds the client id to it). Each message received is verified ({@link TextMessage#verification()}, trust on
 *       first use for the signing key, {@link #onKeyChange}); failures also reach {@link #onError}. Clients that do
 *       not read envelopes, such as the TypeScript SDK's, get plain text as before.</li>
 * </ul>
 *
 * <h2>Compared with {@link L2psMessagingPeer}</h2>
 * The two peers have the same shape where the protocols allow: {@code connect()} completes with the
 * registration, {@code sendText}, {@code discover}, {@code requestPublicKey}, {@code onMessage},
 * {@code onPeerLeft}, {@code onError}, {@code onConnectionStateChange}, {@code onlinePeers}. They differ where the
 * protocols do: a legacy send completes when written, not with a {@link SendResult} (the server acknowledges
 * nothing); a key request answers with the key alone and fails for an offline client; peers are addressed by
 * client id, not by key; there is no history, no presence push for arrivals, no pipeline status, and messages
 * arrive decrypted ({@link TextMessage}) since the protocol has one encryption scheme.
 *
 * <p>Threads and nulls as for {@link L2psMessagingPeer}. Instances are thread-safe.
 */
public interface MessagingPeer extends AutoCloseable {

    /** The default port of the legacy signaling server, {@value}. */
    int DEFAULT_PORT = 3005;
    /** Extension: this client reads signed envelopes; sent in {@code register.features}, {@value}. */
    String FEATURE_ENVELOPE = "envelope";

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    static Builder newBuilder() {
        return new io.github.demosim.internal.legacy.LegacyPeerBuilder();
    }

    /**
     * Opens the connection and registers the client id with the identity's ML-KEM-768 key and the ML-DSA-65
     * proof; completes on the server's {@code register} acknowledgement. Offline messages follow it.
     *
     * <p>If the peer is already connected, completes with the current registration; while it is connecting
     * or reconnecting, completes when that attempt succeeds. With several servers ({@link Builder#serverUris(List)})
     * each is tried once, in order, until one registers the peer; a server that refuses the registration ends the
     * attempt. A failed first connect is not retried.
     *
     * @return the registration; fails with {@link TransportException}, {@link ServerErrorException}
     *     ({@code CLIENT_ID_TAKEN}, {@code INVALID_PROOF}, {@code INVALID_PUBLIC_KEY}) or {@link ImException}
     *     ({@link ErrorCode#REQUEST_TIMEOUT}, {@link ErrorCode#NOT_CONNECTED}, {@link ErrorCode#PROTOCOL_MISMATCH}
     *     when the URI is an L2PS server's)
     */
    CompletableFuture<LegacyRegistration> connect();

    /**
     * Lists every registered client id, this one included, and updates {@link #onlinePeers()}.
     *
     * @return the ids
     */
    CompletableFuture<List<String>> discover();

    /**
     * Asks for the registered ML-KEM-768 key of an online client, and remembers it for sending.
     *
     * @param clientId the client
     * @return the key; fails with {@link ServerErrorException} {@code PEER_NOT_FOUND} when the client is not online
     * @throws IllegalArgumentException if {@code clientId} is empty
     */
    CompletableFuture<Bytes> requestPublicKey(String clientId);

    /**
     * Encrypts {@code text} to the target's key and sends it. The key comes from an earlier lookup if there was
     * one, else from {@link #requestPublicKey} (which only works while the target is online).
     *
     * @param targetId the recipient's client id
     * @param text the message
     * @return completes when the frame is written (see the class description for what follows); fails with
     *     {@link ImException} ({@link ErrorCode#KEY_NOT_FOUND}) when no key is known and the target is offline
     * @throws IllegalArgumentException if {@code targetId} is empty
     */
    CompletableFuture<Void> sendText(String targetId, String text);

    /**
     * Sends text, a reply, a reaction or media ({@code docs/envelopes.md} §7), looking the target's key up as
     * {@link #sendText(String, String)} does. Everything but plain text needs a signed envelope, which only a target
     * that reads them can get.
     *
     * @param targetId the recipient's client id
     * @param message the message
     * @return completes when the frame is written, with the envelope's id (which replies and reactions refer to),
     *     or empty when it was sent as plain text; fails with {@link ImException} ({@link ErrorCode#FEATURE_UNAVAILABLE})
     *     when the message needs an envelope the target does not read, or as {@link #sendText(String, String)}
     * @throws IllegalArgumentException if {@code targetId} is empty or the message does not fit in one frame
     */
    CompletableFuture<java.util.Optional<String>> send(String targetId, OutgoingMessage message);

    /**
     * Like {@link #send(String, OutgoingMessage)}, encrypting to the given key (e.g. of an offline target).
     *
     * @param targetId the recipient's client id
     * @param kemPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param message the message
     * @return as {@link #send(String, OutgoingMessage)}
     * @throws CryptoException if the key is not a valid ML-KEM-768 public key
     * @throws IllegalArgumentException if {@code targetId} is empty or the message does not fit in one frame
     */
    CompletableFuture<java.util.Optional<String>> send(String targetId, Bytes kemPublicKey, OutgoingMessage message);

    /**
     * Encrypts {@code text} to the given key and sends it, e.g. to an offline target whose key is known from
     * elsewhere. The key is remembered for later sends to {@code targetId}.
     *
     * @param targetId the recipient's client id
     * @param kemPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param text the message
     * @return completes when the frame is written
     * @throws CryptoException if the key is not a valid ML-KEM-768 public key
     * @throws IllegalArgumentException if {@code targetId} is empty
     */
    CompletableFuture<Void> sendText(String targetId, Bytes kemPublicKey, String text);

    /**
     * Sends any frame and waits for the first frame of {@code expectedType} that the filter accepts. With
     * retries, the same frame is sent again after each timeout.
     *
     * @param frame the frame
     * @param expectedType the wire type of the answer, e.g. {@code server_question}
     * @param options timeout, retries and filter
     * @return the answer; fails with {@link ServerErrorException} when an error frame is attributed to it, or
     *     {@link ImException} with {@link ErrorCode#REQUEST_TIMEOUT}
     */
    CompletableFuture<LegacyServerFrame> sendToServerAndWait(LegacyClientFrame frame, String expectedType,
            RequestOptions options);

    /**
     * Sends any frame without waiting for an answer (the SDK's {@code sendToServer}). Answers that arrive anyway
     * go to the listeners: errors to {@link #onError}, messages to {@link #onMessage}.
     *
     * @param frame the frame
     * @return completes when the frame is written; while the peer is connecting or reconnecting it waits for
     *     the registration, up to the request timeout
     */
    CompletableFuture<Void> sendToServer(LegacyClientFrame frame);

    /**
     * Answers a server question with {@code peer_response}. A reference server has no handler for it and answers
     * with an {@code INVALID_MESSAGE} error ({@code Unknown message type: peer_response}), which reaches
     * {@link #onError} listeners.
     *
     * @param questionId the question's id
     * @param response the answer
     * @return completes when written
     */
    CompletableFuture<Void> respondToServer(String questionId, JsonValue response);

    /**
     * Adds a message listener: decrypted text, sender, for replays the storage time, and the
     * {@link TextMessage#verification() sender verification}. A message that fails it is delivered too (never as
     * {@link TextMessage#authenticated() authenticated}) and also reported to {@link #onError}.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onMessage(Consumer<? super TextMessage> listener);

    /**
     * Adds a listener for key changes ({@link KeyChangeEvent}, trust on first use), of two kinds:
     * <ul>
     *   <li>{@link KeyRole#SIGNING}: a message signed by another ML-DSA-65 key than the one pinned for its sender's
     *       client id. That message is not authenticated ({@link SenderVerification.Status#KEY_CHANGED}), and the
     *       pinned key stays until the application pins the new one ({@link TrustStore#pin}).</li>
     *   <li>{@link KeyRole#ENCRYPTION}: a key lookup ({@link #requestPublicKey}, or the one
     *       {@link #sendText(String, String)} makes) returned another ML-KEM-768 key than the one pinned for the id.
     *       This can be the id's owner with a new key or, on a server in reference mode, someone who took the id
     *       over while its owner was offline ({@code legacy-and-crypto.md} §C.1 #9; a hardened server lets only
     *       the id's first ML-DSA key register it again). The new key is pinned and used from then on, also for the
     *       message whose send made the lookup; to keep a key you trust, pass it to
     *       {@link #sendText(String, Bytes, String)}.</li>
     * </ul>
     * Keys are remembered in the {@link #trustStore() trust store}: with the default in-memory store, for the
     * life of this peer, so the first lookup of an id has nothing to be compared with.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onKeyChange(Consumer<? super KeyChangeEvent> listener);

    /**
     * Returns the store of pinned keys and accepted envelopes this peer uses ({@link Builder#trustStore}).
     *
     * @return the store
     */
    TrustStore trustStore();

    /**
     * Adds a listener for messages the server stored for offline targets.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onMessageQueued(Consumer<? super MessageQueuedEvent> listener);

    /**
     * Adds a listener for clients whose connection closed ({@code peer_disconnected}).
     *
     * @param listener receives the client id
     * @return the handle that removes it
     */
    Subscription onPeerLeft(Consumer<? super String> listener);


    /**
     * Adds a listener for questions from the server.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onServerQuestion(Consumer<? super ServerQuestionEvent> listener);

    /**
     * Adds an error listener: every error frame, messages that do not decrypt or fail sender verification
     * ({@link ErrorCode#SENDER_VERIFICATION_FAILED}), reconnection giving up.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onError(Consumer<? super ErrorEvent> listener);

    /**
     * Adds a connection-state listener.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onConnectionStateChange(Consumer<? super ConnectionStateChange> listener);

    /**
     * Returns the connection state.
     *
     * @return the state
     */
    ConnectionState state();

    /**
     * Returns the server this peer is registered with: the one of its {@code serverUri}s that answered last.
     * Changes on failover ({@code docs/failover.md}), which is also reported as a {@link ConnectionStateChange}.
     *
     * @return the server's URI, or empty when the peer is not connected
     */
    java.util.Optional<URI> connectedServer();

    /**
     * Returns the client id this peer registers.
     *
     * @return the id
     */
    String clientId();

    /**
     * Returns the other client ids this peer believes online: the last {@link #discover()}, without those
     * reported disconnected since.
     *
     * @return an immutable snapshot
     */
    Set<String> onlinePeers();

    /**
     * Returns the registration of the current connection.
     *
     * @return the registration, or empty when not connected
     */
    java.util.Optional<LegacyRegistration> registration();

    /**
     * Closes the connection and stops the peer's threads; requests still waiting fail with
     * {@link ErrorCode#NOT_CONNECTED}. Idempotent.
     */
    @Override
    void close();

    /**
     * Builds a {@link MessagingPeer}. Not thread-safe; the built peer is. Required: {@link #serverUri(URI)},
     * {@link #clientId(String)}, {@link #identity(Identity)}.
     */
    interface Builder {

        /**
         * Sets the server. A URI without a port gets {@value MessagingPeer#DEFAULT_PORT}.
         *
         * @param uri a {@code ws://} or {@code wss://} URI
         * @return this builder
         */
        Builder serverUri(URI uri);

        /**
         * Sets the server from text.
         *
         * @param uri e.g. {@code ws://127.0.0.1:3005}
         * @return this builder
         */
        Builder serverUri(String uri);

        /**
         * Sets several servers of one service to fail over between ({@code docs/failover.md}), in the order
         * {@code connect()} tries them. A URI without a port gets {@value MessagingPeer#DEFAULT_PORT}.
         *
         * <p>{@code connect()} tries each in turn and fails only when all failed. When the connection is lost the
         * peer waits out the {@link ReconnectPolicy} delay and then tries the next server in the list, then the
         * others in turn, one right after the other; when all of them failed it waits the next, longer delay and
         * goes round again. The policy's {@code maxAttempts} counts such rounds. It re-registers with whichever
         * server answers, re-synchronises presence, and reports the switch as a {@link ConnectionStateChange}
         * whose {@link ConnectionStateChange#failover() failover()} is true; {@link #serverUri(URI)} is the same
         * with one server. Replaces the servers set before.
         *
         * <pre>{@code
         * builder.serverUris(List.of(URI.create("ws://im-a.example:3005"), URI.create("ws://im-b.example:3005")));
         * }</pre>
         *
         * @param uris {@code ws://} or {@code wss://} URIs, at least one, each once
         * @return this builder
         * @throws IllegalArgumentException if the list is empty, a scheme is not ws or wss, or a server is repeated
         */
        Builder serverUris(List<URI> uris);

        /**
         * Sets several servers from text, as {@link #serverUris(List)}.
         *
         * @param uris e.g. {@code "ws://im-a.example:3005", "ws://im-b.example:3005"}
         * @return this builder
         * @throws IllegalArgumentException if none is given, one is not a ws or wss URI, or a server is repeated
         */
        Builder serverUris(String... uris);

        /**
         * Sets the client id peers address this one by.
         *
         * @param clientId a non-empty id
         * @return this builder
         */
        Builder clientId(String clientId);

        /**
         * Sets the identity: its ML-KEM-768 key is registered and decrypts, its ML-DSA-65 key signs the proof.
         *
         * @param identity the identity
         * @return this builder
         */
        Builder identity(Identity identity);

        /**
         * Uses this transport. If not invoked, found with {@link java.util.ServiceLoader}.
         *
         * @param provider the transport
         * @return this builder
         */
        Builder transport(TransportProvider provider);

        /**
         * Uses the transport with this name.
         *
         * @param name e.g. {@code java-websocket}
         * @return this builder
         */
        Builder transport(String name);

        /**
         * Uses this codec. If not invoked, found with {@link java.util.ServiceLoader}.
         *
         * @param provider the codec
         * @return this builder
         */
        Builder codec(CodecProvider provider);

        /**
         * Uses the codec with this name.
         *
         * @param name e.g. {@code jackson}
         * @return this builder
         */
        Builder codec(String name);

        /**
         * Uses this crypto provider. If not invoked, the identity's.
         *
         * @param provider the crypto provider
         * @return this builder
         */
        Builder crypto(CryptoProvider provider);

        /**
         * Uses the crypto provider with this name.
         *
         * @param name e.g. {@code bouncycastle}
         * @return this builder
         */
        Builder crypto(String name);

        /**
         * Runs listeners and completes futures on this executor. If not invoked, on the peer's own daemon threads.
         *
         * @param executor the executor; not shut down by the peer
         * @return this builder
         */
        Builder executor(Executor executor);

        /**
         * Sets the keep-alive: the peer pings a quiet connection every {@code pingInterval} and gives it up (then
         * reconnects) when nothing at all, frame or pong, arrived for {@code idleTimeout}. This is what detects a
         * connection that died without closing: a half-open socket, a black-holed network path. If not invoked,
         * 30 s and 120 s (the reference server's idle timeout), so such a connection is noticed after 2 minutes.
         *
         * @param pingInterval a positive duration
         * @param idleTimeout a positive duration longer than {@code pingInterval}
         * @return this builder
         * @throws IllegalArgumentException if either is not positive or the idle timeout is not the longer
         */
        Builder keepAlive(Duration pingInterval, Duration idleTimeout);

        /**
         * Bounds, in bytes, what the server can make this peer hold in memory: received frames waiting to be
         * handled (a frame counts 2 bytes per character plus 64), once while they wait for the transport's
         * delivery thread and once while the peer decodes them and runs your listeners. When the server sends
         * faster than that drains, the connection is closed with 1008 and reported as
         * {@link ErrorCode#TRANSPORT_INBOUND_OVERFLOW} ({@code IM-TRANSPORT-003}) to {@code onError} listeners and
         * in the connection-state change; the peer reconnects, and with the {@code ack} extension the server
         * redelivers what was not acknowledged. One frame always fits, whatever its size. If not invoked, 16 MiB
         * ({@link io.github.demosim.spi.TransportOptions#DEFAULT_INBOUND_BUFFER_BYTES}), so at most about 32 MiB
         * of heap plus the frame being read.
         *
         * @param bytes at least 1024
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        Builder inboundBufferBytes(int bytes);

        /**
         * Sets the extensions this client announces in {@code register.features}. If not invoked,
         * {@value MessagingPeer#FEATURE_ENVELOPE}. Pass an empty set to register as the TypeScript SDK does (senders
         * then send this client plain text).
         *
         * @param features the extension names
         * @return this builder
         */
        Builder features(Set<String> features);

        /**
         * Sets where this peer remembers the signing keys of other clients and the envelopes it accepted (trust on
         * first use and the replay memory, {@code docs/envelopes.md} §6). If not invoked,
         * {@link TrustStore#inMemory()}: forgotten when the peer closes.
         *
         * @param store the store, thread-safe; not closed by the peer
         * @return this builder
         */
        Builder trustStore(TrustStore store);

        /**
         * Sets how long opening the socket may take. If not invoked, 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        Builder connectTimeout(Duration timeout);

        /**
         * Sets how long register, discover and key requests wait for their reply, and how long a message may
         * wait for the connection. If not invoked, 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        Builder requestTimeout(Duration timeout);

        /**
         * Sets the reconnect policy. If not invoked, {@link ReconnectPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        Builder reconnectPolicy(ReconnectPolicy policy);

        /**
         * Builds the peer, resolving the providers. The peer is not connected yet.
         *
         * @return the peer
         * @throws IllegalStateException if a required setting is missing
         * @throws ProviderNotFoundException if a provider is missing
         */
        MessagingPeer build();
    }
}
