package io.github.demosim;

import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A client of the L2PS messaging protocol (default port 3006, {@code l2ps.md}): registers an Ed25519 key in an
 * L2PS network, sends end-to-end encrypted messages acknowledged as delivered or queued, reads history, follows
 * presence, and receives messages live and from the offline queue.
 *
 * <pre>{@code
 * try (L2psMessagingPeer alice = L2psMessagingPeer.newBuilder()
 *         .serverUri("ws://127.0.0.1:3006")
 *         .identity(Identity.fromMasterSeed(seed))
 *         .l2psUid("testnet_l2ps_001")
 *         .build()) {
 *     alice.onMessage(m -> System.out.println((m.authenticated() ? "" : "(unverified) ") + m.from() + ": "
 *             + m.text().orElse("<not for me>")));
 *     alice.connect().join();
 *     SendResult r = alice.sendText(bobKey, bobKemKey, "hello").join();   // DELIVERED or QUEUED
 * }
 * }</pre>
 *
 * <h2>Beyond the TypeScript SDK</h2>
 * <ul>
 *   <li>Replies are matched whether or not the server echoes {@code requestId} ({@code l2ps.md} §2.1): by id
 *       when echoed, else {@code message_sent}/{@code message_queued} by message hash,
 *       {@code public_key_response} by target, {@code registered}/{@code history_response}/{@code discover_response}
 *       in order per type. Unrelated frames never disturb a waiting request.</li>
 *   <li>An error frame fails the request it belongs to: the one whose id it echoes; without an id, the oldest
 *       waiting request of the kind its text names (e.g. {@code Duplicate message} names a send), or, when the
 *       text names none ({@code INTERNAL_ERROR}), the oldest waiting request. Every error frame also reaches
 *       {@link #onError} listeners.</li>
 *   <li>After a lost connection the peer backs off ({@link ReconnectPolicy}), re-registers with a fresh proof,
 *       re-synchronises presence with {@code discover} and then writes the requests made meanwhile. Requests
 *       written before the loss fail at once with {@link ErrorCode#NOT_CONNECTED}, except sends to a server that
 *       offered {@value #FEATURE_ACK} (this project's hardened server, which answers a repeated message hash from
 *       the same sender with the first answer): those are written again, with the same hash, after
 *       re-registration, so a send is neither lost nor stored twice. One socket is never registered twice.</li>
 *   <li>Several servers of one service ({@link Builder#serverUris(List)}): the peer fails over between them,
 *       round-robin with the back-off, and tells which one it is on ({@link #connectedServer()},
 *       {@link ConnectionStateChange#failover()}); {@code docs/failover.md}.</li>
 *   <li>Protocol extensions are used only when the server advertises them in {@code registered.features}:
 *       {@value #FEATURE_ACK} (messages are acknowledged after listeners ran; the server redelivers
 *       unacknowledged ones), {@value #FEATURE_MESSAGE_STATUS} (pipeline status of sent messages, see
 *       {@link #onMessageStatus} and {@link #awaitStatus}), {@value #FEATURE_KEY_DIRECTORY} (the peer publishes
 *       its ML-KEM key and {@link #sendText(String, String)} looks the recipient's up), {@value #FEATURE_ENVELOPE}
 *       (below), {@value #FEATURE_SERVER_CHALLENGE} (from the next registration on, the peer signs a nonce the
 *       server issued for the connection, so that its proof is worthless at any other server or connection; a
 *       server that requires such proofs says so when it refuses the first registration, and the peer registers
 *       again at once with one).</li>
 *   <li>Signed envelopes ({@code docs/envelopes.md}): to a recipient whose key directory entry says it reads them
 *       (or whose signing key is pinned in the {@link TrustStore}), a message travels as an Ed25519-signed
 *       {@link io.github.demosim.crypto.MessageEnvelope}, and each message received is verified: the result is
 *       {@link ReceivedMessage#verification()}, failures also reach {@link #onError}. Envelopes also carry replies,
 *       reactions and media ({@link #send(String, OutgoingMessage)}). Peers that do not read them, such as the
 *       TypeScript SDK's, get plain text as before, and their messages arrive {@link SenderVerification.Status#UNSIGNED
 *       UNSIGNED}.</li>
 *   <li>Messages with a hash already seen are dropped, so listeners see each message once.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Listeners run one at a time, in order, never on a transport or I/O thread; returned futures complete on the
 * same executor (by default the peer's own daemon threads). Blocking on a future of this peer inside a
 * listener is safe with the default executor; with a single-threaded executor of your own it deadlocks.
 * Messages that arrive while no message listener is registered are kept (up to 10,000) and handed to the
 * first one registered, so listeners added right after {@link #connect()} still see offline deliveries.
 *
 * <p>Instances are thread-safe. Null arguments cause {@link NullPointerException}; the peer never passes null
 * to listeners. Argument faults are thrown at the call; everything else fails the returned future.
 */
public interface L2psMessagingPeer extends AutoCloseable {

    /** The default port of the L2PS messaging server, {@value}. */
    int DEFAULT_PORT = 3006;
    /** Extension: message acknowledgements and redelivery, {@value}. */
    String FEATURE_ACK = "ack";
    /** Extension: pipeline status pushes for sent messages, {@value}. */
    String FEATURE_MESSAGE_STATUS = "message_status";
    /** Extension: ML-KEM key directory in {@code register}/{@code public_key_response}, {@value}. */
    String FEATURE_KEY_DIRECTORY = "key_directory";
    /**
     * Extension: this peer reads signed envelopes; published with its ML-KEM key in the key directory, so that
     * senders know to sign for it, {@value}.
     */
    String FEATURE_ENVELOPE = "envelope";

    /** Extension: registration proofs bound to a nonce the server issued for the connection, {@value}. */
    String FEATURE_SERVER_CHALLENGE = "server_challenge";

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    static Builder newBuilder() {
        return new io.github.demosim.internal.l2ps.L2psPeerBuilder();
    }

    /**
     * Opens the connection and registers, proving the key with a signature over
     * {@code register:<publicKey>:<timestamp>}. Completes when {@code registered} arrives.
     *
     * <p>If the peer is already connected, completes with the current registration; while it is connecting
     * or reconnecting, completes when that attempt succeeds. With several servers ({@link Builder#serverUris(List)})
     * each is tried once, in order, until one registers the peer; a server that refuses the registration ends the
     * attempt. A failed first connect is not retried: the future fails and the peer is
     * {@link ConnectionState#DISCONNECTED}; call {@code connect()} again to retry.
     *
     * @return the registration, with the peers online at that moment; fails with {@link TransportException}
     *     (cannot connect), {@link ServerErrorException} (e.g. {@code INVALID_PROOF}, {@code L2PS_NOT_FOUND}),
     *     {@link ImException} with {@link ErrorCode#REQUEST_TIMEOUT}, {@link ErrorCode#NOT_CONNECTED} or
     *     {@link ErrorCode#PROTOCOL_MISMATCH} (the URI is a legacy signaling server's)
     */
    CompletableFuture<L2psRegistration> connect();

    /**
     * Sends an already encrypted message. The hash must be unique: the server keeps every hash ever used
     * and refuses a repeat as {@code Duplicate message} (a hardened server answers a repeat from the same sender
     * with the original acknowledgement instead, which makes retries safe).
     *
     * @param to the recipient's public key
     * @param encrypted the payload, relayed unchanged
     * @param messageHash the unique hash
     * @return delivered or queued; fails with {@link ServerErrorException} ({@code L2PS_SUBMIT_FAILED},
     *     {@code INVALID_MESSAGE}, {@code RATE_LIMITED}), or {@link ImException} with
     *     {@link ErrorCode#REQUEST_TIMEOUT} or {@link ErrorCode#NOT_CONNECTED}
     * @throws IllegalArgumentException if {@code to} or {@code messageHash} is empty
     */
    CompletableFuture<SendResult> send(String to, Encrypted encrypted, String messageHash);

    /**
     * Encrypts {@code text} to the recipient's ML-KEM-768 key (ml-kem-aes, one fresh encapsulation per
     * message) and sends it with a fresh unique hash: lowercase hex SHA-256 over sender, recipient and the
     * ciphertext, so the hash reveals nothing about the text. A recipient that reads envelopes (its key directory
     * entry says so, or its signing key is pinned) gets the text in a signed envelope; any other, plain text.
     *
     * @param to the recipient's public key
     * @param recipientKemPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param text the message
     * @return delivered or queued, as for {@link #send}; {@link SendResult#messageId()} when signed
     * @throws CryptoException if the key is not 1184 bytes (one of that length that is not a valid ML-KEM-768 key
     *     fails the future with it)
     * @throws IllegalArgumentException if {@code to} is empty, or the text does not fit in one message
     *     (about 98,000 bytes of UTF-8, envelope included)
     */
    CompletableFuture<SendResult> sendText(String to, Bytes recipientKemPublicKey, String text);

    /**
     * Like {@link #sendText(String, Bytes, String)}, with the recipient's ML-KEM key looked up in the server's
     * key directory (extension {@value #FEATURE_KEY_DIRECTORY}) unless already known from an earlier lookup. The
     * lookup also tells whether the recipient reads signed envelopes ({@value #FEATURE_ENVELOPE}).
     *
     * @param to the recipient's public key
     * @param text the message
     * @return delivered or queued; fails with {@link ImException} ({@link ErrorCode#KEY_NOT_FOUND}) when no key is
     *     known for {@code to}, or as {@link #send}
     * @throws IllegalArgumentException if {@code to} is empty, or the text does not fit in one message
     */
    CompletableFuture<SendResult> sendText(String to, String text);

    /**
     * Sends text, a reply, a reaction or media ({@code docs/envelopes.md} §7), with the recipient's ML-KEM key
     * looked up as for {@link #sendText(String, String)}. Everything but plain text needs a signed envelope, so a
     * recipient that does not read them can only get plain text.
     *
     * <pre>{@code
     * SendResult question = alice.send(bobKey, OutgoingMessage.text("Dinner at 8?")).join();
     * // Bob, later: bob.send(aliceKey, OutgoingMessage.reaction(received.messageId().orElseThrow(), "👍"));
     * }</pre>
     *
     * @param to the recipient's public key
     * @param message the message
     * @return delivered or queued, with the envelope's {@link SendResult#messageId() id} when signed; fails with
     *     {@link ImException} ({@link ErrorCode#FEATURE_UNAVAILABLE}) when the message needs an envelope the recipient
     *     does not read, or as {@link #sendText(String, String)}
     * @throws IllegalArgumentException if {@code to} is empty, or the message does not fit in one frame (the text
     *     says how much fits: about 73,000 bytes of media)
     */
    CompletableFuture<SendResult> send(String to, OutgoingMessage message);

    /**
     * Like {@link #send(String, OutgoingMessage)}, encrypting to the given ML-KEM key.
     *
     * @param to the recipient's public key
     * @param recipientKemPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param message the message
     * @return as {@link #send(String, OutgoingMessage)}; on a server with a key directory, the first message to a
     *     recipient looks it up once anyway, to learn whether it reads envelopes
     * @throws CryptoException if the key is not 1184 bytes (one of that length that is not a valid ML-KEM-768 key
     *     fails the future with it)
     * @throws IllegalArgumentException if {@code to} is empty or the message does not fit in one frame
     */
    CompletableFuture<SendResult> send(String to, Bytes recipientKemPublicKey, OutgoingMessage message);

    /**
     * Fetches the newest page of the conversation with {@code peerKey} (both directions), signed with
     * {@code history:<peerKey>:<timestamp>}.
     *
     * @param peerKey the other party's key
     * @param limit the page size, at least 1
     * @return the page; fails as {@link #send} (server codes {@code INVALID_PROOF}, {@code INTERNAL_ERROR})
     * @throws IllegalArgumentException if {@code limit} is below 1 or {@code peerKey} is empty
     */
    CompletableFuture<HistoryPage> history(String peerKey, int limit);

    /**
     * Fetches the page of messages stored strictly before {@code before} (server time, ms since the epoch).
     *
     * @param peerKey the other party's key
     * @param before the exclusive upper bound, at least 1
     * @param limit the page size, at least 1
     * @return the page
     * @throws IllegalArgumentException if {@code before} or {@code limit} is below 1 or {@code peerKey} is empty
     */
    CompletableFuture<HistoryPage> history(String peerKey, long before, int limit);

    /**
     * Fetches the page of messages stored strictly before {@code before} (server time), as
     * {@link #history(String, long, int)} with the instant in milliseconds.
     *
     * @param peerKey the other party's key
     * @param before the exclusive upper bound, after the epoch
     * @param limit the page size, at least 1
     * @return the page
     * @throws IllegalArgumentException if {@code before} is not after the epoch, {@code limit} is below 1 or
     *     {@code peerKey} is empty
     */
    default CompletableFuture<HistoryPage> history(String peerKey, java.time.Instant before, int limit) {
        return history(peerKey, before.toEpochMilli(), limit);
    }

    /**
     * Returns the whole conversation with {@code peerKey}, newest first, fetched lazily page by page, with no
     * message missing or repeated even where many messages share one millisecond. The stream blocks while it
     * fetches a page and throws the {@link ImException} a page request fails with.
     *
     * @param peerKey the other party's key
     * @param pageSize messages per request, at least 1
     * @return the messages
     * @throws IllegalArgumentException if {@code pageSize} is below 1 or {@code peerKey} is empty
     */
    Stream<StoredMessage> historyStream(String peerKey, int pageSize);

    /**
     * Lists the keys online in this network, this peer included ({@code l2ps.md} §8), and brings
     * {@link #onlinePeers()} up to date, notifying presence listeners of the differences.
     *
     * @return the online keys
     */
    CompletableFuture<List<String>> discover();

    /**
     * Asks whether {@code targetId} is online in this network and, with the key directory, for its ML-KEM key
     * (which is then remembered for {@link #sendText(String, String)}).
     *
     * @param targetId the key asked about
     * @return the answer
     * @throws IllegalArgumentException if {@code targetId} is empty
     */
    CompletableFuture<PublicKeyLookup> requestPublicKey(String targetId);

    /**
     * Completes when the server reports that a message this peer sent reached {@code status} or a later stage of
     * {@code l2ps_pending → l2ps_batched → l2ps_confirmed} (extension {@value #FEATURE_MESSAGE_STATUS}); see
     * {@link L2psStatus#hasReached}.
     *
     * @param messageHash the sent message
     * @param status the stage to wait for, e.g. {@link L2psStatus#L2PS_CONFIRMED}
     * @return the update; fails with {@link ImException} when the server reports {@link L2psStatus#FAILED}, when
     *     it does not offer the extension, or when the peer closes. Combine with {@link CompletableFuture#orTimeout}
     *     to bound the wait
     * @throws IllegalArgumentException if {@code status} is {@link L2psStatus#UNKNOWN}
     */
    CompletableFuture<MessageStatusUpdate> awaitStatus(String messageHash, L2psStatus status);

    /**
     * Decrypts a payload encrypted to this peer's identity, e.g. from {@link #history}.
     *
     * @param encrypted the payload
     * @return the plaintext (for a signed envelope its JSON, which {@link #open(StoredMessage)} reads), or empty when
     *     the peer has no identity or the payload is not for it
     */
    Optional<String> decrypt(Encrypted encrypted);

    /**
     * Reads a message from {@link #history}: decrypts it and, when it is a signed envelope, checks it as a received
     * message is checked ({@code docs/envelopes.md} §5) up to the recipient, but neither its time nor the replay
     * memory (history repeats messages by design); it pins no key. A message this peer sent is encrypted for the
     * other party: {@link SenderVerification.Status#UNREADABLE UNREADABLE}.
     *
     * @param stored a message from history
     * @return the message, as a listener would receive it, with {@code sentAt} the server's storage time
     */
    ReceivedMessage open(StoredMessage stored);

    /**
     * Adds a message listener.
     *
     * @param listener called once per message, live and offline, with the text when it is encrypted to this peer
     *     and the {@link ReceivedMessage#verification() sender verification}; a message that fails it is delivered
     *     too (never as {@link ReceivedMessage#authenticated() authenticated}) and also reported to {@link #onError}
     * @return the handle that removes it
     */
    Subscription onMessage(Consumer<? super ReceivedMessage> listener);

    /**
     * Adds a listener for key changes ({@link KeyChangeEvent}): the server's key directory returned another ML-KEM
     * key for a recipient than the one this peer pinned (the new key is used and pinned: a peer may rotate its key,
     * but a directory may also hand out someone else's). A signing key cannot change on L2PS: it is the address.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onKeyChange(Consumer<? super KeyChangeEvent> listener);

    /**
     * Returns the store of pinned keys and accepted envelopes this peer uses ({@link Builder#trustStore}), e.g. to pin
     * a key checked out of band, or to forget one.
     *
     * @return the store
     */
    TrustStore trustStore();

    /**
     * Adds an error listener: every error frame of the server, undecodable frames, reconnection giving up, received
     * messages that fail sender verification ({@link ErrorCode#SENDER_VERIFICATION_FAILED}).
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onError(Consumer<? super ErrorEvent> listener);

    /**
     * Adds a listener for keys that come online in this network. Called only when {@link #onlinePeers()}
     * changes: a repeated {@code peer_joined} is not reported twice.
     *
     * @param listener receives the key
     * @return the handle that removes it
     */
    Subscription onPeerJoined(Consumer<? super String> listener);

    /**
     * Adds a listener for keys that go offline.
     *
     * @param listener receives the key
     * @return the handle that removes it
     */
    Subscription onPeerLeft(Consumer<? super String> listener);

    /**
     * Adds a connection-state listener.
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onConnectionStateChange(Consumer<? super ConnectionStateChange> listener);

    /**
     * Adds a listener for pipeline status changes of sent messages (extension {@value #FEATURE_MESSAGE_STATUS}).
     *
     * @param listener the listener
     * @return the handle that removes it
     */
    Subscription onMessageStatus(Consumer<? super MessageStatusUpdate> listener);

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
    Optional<URI> connectedServer();

    /**
     * Returns the other keys this peer believes online in its network: from registration, presence pushes and
     * {@link #discover()}. Kept while reconnecting, re-synchronised after; empty when disconnected.
     *
     * @return an immutable snapshot
     */
    Set<String> onlinePeers();

    /**
     * Returns the Ed25519 public key this peer registers, in hex.
     *
     * @return the key
     */
    String publicKey();

    /**
     * Returns the registration of the current connection.
     *
     * @return the registration, or empty when not connected
     */
    Optional<L2psRegistration> registration();

    /**
     * Closes the connection and stops the peer's threads. Requests still waiting fail with
     * {@link ErrorCode#NOT_CONNECTED}. Waits up to a few seconds for the socket to close; idempotent.
     */
    @Override
    void close();

    /**
     * Builds an {@link L2psMessagingPeer}. Not thread-safe; the built peer is.
     *
     * <p>Required: {@link #serverUri(URI)}, {@link #l2psUid(String)}, and either {@link #identity(Identity)} or
     * {@link #signer(String, Function)}. Providers not chosen here are found with {@link java.util.ServiceLoader}
     * once, in {@link #build()}: the one the system property ({@code demos.im.transport}, {@code demos.im.codec},
     * {@code demos.im.crypto}) names, else the single one present.
     */
    interface Builder {

        /**
         * Sets the server. A URI without a port gets {@value L2psMessagingPeer#DEFAULT_PORT}.
         *
         * @param uri a {@code ws://} or {@code wss://} URI
         * @return this builder
         * @throws IllegalArgumentException if the scheme is not ws or wss
         */
        Builder serverUri(URI uri);

        /**
         * Sets the server from text, as {@link #serverUri(URI)}.
         *
         * @param uri e.g. {@code ws://127.0.0.1:3006}
         * @return this builder
         * @throws IllegalArgumentException if the text is not a ws or wss URI
         */
        Builder serverUri(String uri);

        /**
         * Sets several servers of one service to fail over between ({@code docs/failover.md}), in the order
         * {@code connect()} tries them. A URI without a port gets {@value L2psMessagingPeer#DEFAULT_PORT}.
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
         * builder.serverUris(List.of(URI.create("ws://im-a.example:3006"), URI.create("ws://im-b.example:3006")));
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
         * @param uris e.g. {@code "ws://im-a.example:3006", "ws://im-b.example:3006"}
         * @return this builder
         * @throws IllegalArgumentException if none is given, one is not a ws or wss URI, or a server is repeated
         */
        Builder serverUris(String... uris);

        /**
         * Uses an identity: its Ed25519 key registers and signs proofs, its ML-KEM key decrypts incoming
         * messages and is published in the key directory.
         *
         * @param identity the identity
         * @return this builder
         */
        Builder identity(Identity identity);

        /**
         * Uses an external Ed25519 signer instead of an identity (e.g. a wallet or an HSM). Incoming messages
         * are then not decrypted. The function is called on the peer's control thread and should be quick. Besides
         * the proof strings it signs envelopes for recipients that read them: the UTF-8 text
         * {@code demos-im/envelope/v1/l2ps}, a line feed and the envelope's JSON ({@code docs/envelopes.md} §3).
         *
         * @param publicKeyHex the Ed25519 public key, 64 hex characters
         * @param signHex signs the UTF-8 bytes of a proof string and returns the 64-byte signature in hex
         * @return this builder
         * @throws IllegalArgumentException if the key is not 64 hex characters
         */
        Builder signer(String publicKeyHex, Function<String, String> signHex);

        /**
         * Sets the L2PS network uid.
         *
         * @param l2psUid e.g. {@code testnet_l2ps_001}
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        Builder l2psUid(String l2psUid);

        /**
         * Uses this transport. If not invoked, the one {@code demos.im.transport} names, else the single one present.
         *
         * @param provider the transport
         * @return this builder
         */
        Builder transport(TransportProvider provider);

        /**
         * Uses the transport with this {@link TransportProvider#name() name}.
         *
         * @param name e.g. {@code tyrus}
         * @return this builder
         */
        Builder transport(String name);

        /**
         * Uses this codec. If not invoked, found as for the transport.
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
         * Uses this crypto provider. If not invoked, found as for the transport.
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
         * Runs listeners and completes futures on this executor (listener calls stay sequential and ordered).
         * If not invoked, on the peer's own daemon threads, which {@link #close()} stops.
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
         * Sets how long opening the socket may take. If not invoked, 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        Builder connectTimeout(Duration timeout);

        /**
         * Sets how long a send waits for {@code message_sent}/{@code message_queued}. If not invoked, 15 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        Builder sendTimeout(Duration timeout);

        /**
         * Sets how long register, history, discover and key requests wait for their reply. If not invoked, 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
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
         * Sets the extensions to ask the server for in {@code register.features}. If not invoked, all this client
         * supports: {@value L2psMessagingPeer#FEATURE_ACK}, {@value L2psMessagingPeer#FEATURE_MESSAGE_STATUS},
         * {@value L2psMessagingPeer#FEATURE_KEY_DIRECTORY}, {@value L2psMessagingPeer#FEATURE_ENVELOPE} (asked for
         * only by a peer with an identity, which can read envelopes), {@value L2psMessagingPeer#FEATURE_SERVER_CHALLENGE}.
         * Pass an empty set to behave as a reference client; leave out {@value L2psMessagingPeer#FEATURE_ENVELOPE}
         * and senders that look this peer up send it plain text.
         *
         * @param features the extension names
         * @return this builder
         */
        Builder features(Set<String> features);

        /**
         * Sets where this peer remembers the keys of other peers and the envelopes it accepted (trust on first use and
         * the replay memory, {@code docs/envelopes.md} §6). If not invoked, {@link TrustStore#inMemory()}: forgotten
         * when the peer closes.
         *
         * @param store the store, thread-safe; not closed by the peer
         * @return this builder
         */
        Builder trustStore(TrustStore store);

        /**
         * Builds the peer, resolving the providers. The peer is not connected yet.
         *
         * @return the peer
         * @throws IllegalStateException if a required setting is missing
         * @throws ProviderNotFoundException if a provider is missing
         * @throws AmbiguousProviderException if several providers are present and none was chosen
         * @throws UnknownProviderException if a provider was chosen by a name nobody has
         */
        L2psMessagingPeer build();
    }
}
