package io.github.demosim.bench;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Sender/recipient pairs on raw connections of a client transport (through the SPI, no {@link L2psMessagingPeer}):
 * each registered as the client registers (real Ed25519 proof, ML-KEM key published, features {@code ack},
 * {@code message_status}, {@code key_directory}), senders sending pre-sealed {@code send} frames, recipients
 * acknowledging every {@code message} at once with an {@code ack} frame, as the client does once its application
 * has the message (they do not decrypt: that is client work, and this measures the server).
 *
 * <p><b>Frames.</b> Each pair has a pool of {@code send} frames sealed once, up front, to its recipient's ML-KEM key
 * (ML-KEM-768 + AES-256-GCM of a 100-byte chat line, as {@link RealisticFrames}), encoded with the project's codec.
 * A send copies one of them and writes a fresh {@code messageHash} and {@code requestId} into it (fixed-length
 * fields, so no re-encoding). The hash is 64 hex digits, {@code mix(seq) | seq | send time | pair}: the first 16
 * spread like a real SHA-256 hash over the server's unique index; the rest carry the message's global sequence
 * number and its send time ({@link System#nanoTime()} of this process), so a reply is matched without a lookup.
 *
 * <p><b>Accounting.</b> {@code ack[seq]} and {@code delivery[seq]} hold send→{@code message_sent} and
 * send→{@code message} in nanoseconds, {@link #NEVER} until they happen; each is written once, by the listener of
 * the connection that received the reply, before the matching counter is incremented (so a thread that has read
 * a counter sees the samples behind it). Replies are recognised by the start of the frame: the server writes
 * compact JSON with {@code type} first (l2ps.md §2).
 */
final class RawPairs implements AutoCloseable {
    /** A latency not (yet) observed. */
    static final long NEVER = Long.MAX_VALUE;
    private static final String HASH_FIELD = "\"messageHash\":\"";
    private static final String REQUEST_FIELD = "\"requestId\":\"";
    private static final int HASH_LENGTH = 64;
    private static final String REQUEST_PLACEHOLDER = "req_0000000000000_0000000000";

    /** What happens to the pairs' messages, for the run to react to. */
    interface Events {
        /**
         * A message's {@code message_sent} or {@code message} arrived (on a listener thread; must not block).
         *
         * @param pair the pair's index
         */
        void progressed(int pair);
    }

    /** A pair's counters: frames it sent, acknowledgements and deliveries it got. */
    static final class Flow {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();

        /** @return messages sent and not yet both acknowledged and delivered (counted, not matched one by one) */
        long inFlight() {
            return sent.get() - Math.min(acked.get(), delivered.get());
        }
    }

    private final long[] ack;
    private final long[] delivery;
    private final Flow[] flows;
    private final char[][][] sendTemplates;
    private final int hashAt;
    private final int requestAt;
    private final String ackPrefix;
    private final String ackSuffix;
    private final List<TransportSession> senders = new ArrayList<>();
    private final List<TransportSession> recipients = new ArrayList<>();
    private final AtomicLong messageStatus = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final long salt = System.nanoTime();
    private volatile Events events = pair -> { };
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private final AtomicLong deliveredInWindow = new AtomicLong();

    private RawPairs(int pairs, int capacity, char[][][] sendTemplates, int hashAt, int requestAt, String ackFrame) {
        this.ack = new long[capacity];
        this.delivery = new long[capacity];
        Arrays.fill(ack, NEVER);
        Arrays.fill(delivery, NEVER);
        this.flows = new Flow[pairs];
        for (int i = 0; i < pairs; i++) {
            flows[i] = new Flow();
        }
        this.sendTemplates = sendTemplates;
        this.hashAt = hashAt;
        this.requestAt = requestAt;
        int h = ackFrame.indexOf(HASH_FIELD) + HASH_FIELD.length();
        this.ackPrefix = ackFrame.substring(0, h);
        this.ackSuffix = ackFrame.substring(h + HASH_LENGTH);
    }

    /**
     * Seals the frame pools, connects and registers every pair.
     *
     * @param uri the server's L2PS URI
     * @param transport the client transport provider's name
     * @param pairs how many pairs
     * @param pool sealed frames per pair
     * @param capacity messages the run may send in all (the sample arrays' size)
     * @return the registered pairs
     * @throws Exception if a connection or registration fails
     */
    static RawPairs connect(URI uri, String transport, int pairs, int pool, int capacity) throws Exception {
        return connect(pair -> uri, pair -> uri, transport, pairs, pool, capacity);
    }

    /**
     * As {@link #connect(URI, String, int, int, int)}, each pair's sender and recipient on servers of their own
     * (the nodes of a cluster, {@link ClusterLoad}).
     *
     * @param senderAt the L2PS URI pair {@code i}'s sender connects to
     * @param recipientAt the L2PS URI pair {@code i}'s recipient connects to
     * @param transport the client transport provider's name
     * @param pairs how many pairs
     * @param pool sealed frames per pair
     * @param capacity messages the run may send in all
     * @return the registered pairs
     * @throws Exception if a connection or registration fails
     */
    static RawPairs connect(IntFunction<URI> senderAt, IntFunction<URI> recipientAt, String transport, int pairs,
            int pool, int capacity) throws Exception {
        CryptoProvider provider = CryptoProvider.find();
        DemosCrypto crypto = DemosCrypto.create(provider);
        FrameCodec codec = CodecProvider.find().create();
        String placeholder = "0".repeat(HASH_LENGTH);
        long now = System.currentTimeMillis();
        Identity[][] ids = new Identity[pairs][];
        char[][][] templates = new char[pairs][pool][];
        for (int i = 0; i < pairs; i++) {
            ids[i] = new Identity[] {identity(provider, i, 1), identity(provider, i, 2)};
            String to = ids[i][1].ed25519PublicKeyHex();
            for (int k = 0; k < pool; k++) {
                byte[] text = BenchInputs.chatLine(i + "/" + k + ":", EndToEndBenchmark.TEXT_BYTES)
                        .getBytes(StandardCharsets.UTF_8);
                templates[i][k] = codec.encode(new Send(to, crypto.seal(ids[i][1].mlKemPublicKey(), text)
                        .toL2psEncrypted(), placeholder, now, REQUEST_PLACEHOLDER)).toCharArray();
            }
        }
        String sample = new String(templates[0][0]);
        int hashAt = sample.indexOf(HASH_FIELD) + HASH_FIELD.length();
        int requestAt = sample.indexOf(REQUEST_FIELD) + REQUEST_FIELD.length();
        if (hashAt < HASH_FIELD.length() || requestAt < REQUEST_FIELD.length()) {
            throw new IllegalStateException("the codec wrote a send frame without messageHash or requestId: " + sample);
        }
        RawPairs run = new RawPairs(pairs, capacity, templates, hashAt, requestAt,
                codec.encode(new Ack(placeholder, now, null)));
        List<CompletableFuture<?>> registered = new ArrayList<>();
        try {
            for (int i = 0; i < pairs; i++) {
                for (int role = 0; role < 2; role++) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    URI uri = role == 0 ? senderAt.apply(i) : recipientAt.apply(i);
                    TransportSession s = TransportProvider.find(transport).connect(TransportOptions.of(uri),
                            role == 0 ? run.new Sender(done) : run.new Recipient(done)).get(10, TimeUnit.SECONDS);
                    (role == 0 ? run.senders : run.recipients).add(s);
                    Identity id = ids[i][role];
                    long ts = System.currentTimeMillis();
                    s.sendText(codec.encode(new Register(id.ed25519PublicKeyHex(), DemosImServer.DEFAULT_L2PS_UID,
                            crypto.signL2psRegisterProof(id, ts), id.mlKemPublicKey().toBase64(),
                            List.of(L2psMessagingPeer.FEATURE_ACK, L2psMessagingPeer.FEATURE_MESSAGE_STATUS,
                                    L2psMessagingPeer.FEATURE_KEY_DIRECTORY), ts, "req_" + ts + "_" + i + role)));
                    registered.add(done);
                }
            }
            CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            run.close();
            throw e;
        }
        return run;
    }

    /** Identities of their own (the seed's first bytes: 8 + role, pair), apart from {@link PeerPairs}'. */
    private static Identity identity(CryptoProvider crypto, int pair, int role) {
        byte[] seed = BenchInputs.masterSeed();
        seed[0] = (byte) (role + 8);
        seed[1] = (byte) pair;
        seed[2] = (byte) (pair >> 8);
        return Identity.fromMasterSeed(seed, crypto);
    }

    void onProgress(Events e) {
        this.events = e;
    }

    /**
     * Deliveries received in {@code [start, end)} ({@link System#nanoTime()}) are counted by
     * {@link #deliveredInWindow}.
     */
    void window(long start, long end) {
        windowStart = start;
        windowEnd = end;
    }

    long deliveredInWindow() {
        return deliveredInWindow.get();
    }

    /**
     * Sends message {@code seq} from {@code pair}, stamped with {@code sendNanos} (the time latency is counted
     * from: when it is sent in a closed loop, when it was due in an open loop).
     */
    void send(int pair, int seq, long sendNanos) {
        char[][] pool = sendTemplates[pair];
        char[] frame = pool[seq % pool.length].clone();
        hash(frame, hashAt, pair, seq, sendNanos);
        long ms = System.currentTimeMillis();
        hex(frame, requestAt + 4, ms % 10_000_000_000_000L, 13, 10);
        hex(frame, requestAt + 18, seq, 10, 16);
        flows[pair].sent.incrementAndGet();
        senders.get(pair).sendText(new String(frame)).whenComplete((v, e) -> {
            if (e != null) {
                fail("pair " + pair + ": a send failed: " + e);
            }
        });
    }

    private void hash(char[] into, int at, int pair, int seq, long sendNanos) {
        long mixed = (seq + salt) * 0x9E3779B97F4A7C15L;
        hex(into, at, mixed ^ (mixed >>> 29), 16, 16);
        hex(into, at + 16, seq, 16, 16);
        hex(into, at + 32, sendNanos, 16, 16);
        hex(into, at + 48, pair, 16, 16);
    }

    /** Writes {@code value} as {@code digits} digits in {@code radix} (10 or 16), zero-padded. */
    private static void hex(char[] into, int at, long value, int digits, int radix) {
        long v = value;
        for (int i = digits - 1; i >= 0; i--) {
            into[at + i] = Character.forDigit((int) Long.remainderUnsigned(v, radix), radix);
            v = Long.divideUnsigned(v, radix);
        }
    }

    private static long field(String text, int at) {
        return Long.parseUnsignedLong(text, at, at + 16, 16);
    }

    Flow flow(int pair) {
        return flows[pair];
    }

    int pairs() {
        return flows.length;
    }

    int capacity() {
        return ack.length;
    }

    /** The samples of message {@code seq}; read only after the counters that cover it. */
    long ackNanos(int seq) {
        return ack[seq];
    }

    long deliveryNanos(int seq) {
        return delivery[seq];
    }

    long totalAcked() {
        return Arrays.stream(flows).mapToLong(f -> f.acked.get()).sum();
    }

    long totalDelivered() {
        return Arrays.stream(flows).mapToLong(f -> f.delivered.get()).sum();
    }

    long totalSent() {
        return Arrays.stream(flows).mapToLong(f -> f.sent.get()).sum();
    }

    long messageStatusFrames() {
        return messageStatus.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** @return the first thing that went wrong (an error frame, a failed send, an unexpected reply), or null */
    String failure() {
        return failure.get();
    }

    private void fail(String what) {
        failure.compareAndSet(null, what);
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (TransportSession s : senders) {
            closing.add(s.close(1000, "done"));
        }
        for (TransportSession s : recipients) {
            closing.add(s.close(1000, "done"));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    /** Frames both roles handle alike; anything unexpected fails the run with the frame's text. */
    private abstract class Listener implements TransportListener {
        private final CompletableFuture<Void> registered;

        Listener(CompletableFuture<Void> registered) {
            this.registered = registered;
        }

        @Override
        public void onText(TransportSession session, String text) {
            if (!handle(text)) {
                if (text.startsWith("{\"type\":\"registered\"")) {
                    registered.complete(null);
                } else if (text.startsWith("{\"type\":\"peer_joined\"") || text.startsWith("{\"type\":\"peer_left\"")) {
                    return; // presence of the other connections
                } else {
                    String what = "unexpected frame: " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
                    registered.completeExceptionally(new IllegalStateException(what));
                    fail(what);
                }
            }
        }

        @Override
        public void onError(TransportSession session, io.github.demosim.TransportException error) {
            registered.completeExceptionally(error);
            fail("transport error: " + error);
        }

        @Override
        public void onClosed(TransportSession session, int code, String reason, boolean remote) {
            if (remote) {
                fail("the server closed a connection: " + code + " " + reason);
            }
        }

        /** @return whether the frame was this role's to handle */
        abstract boolean handle(String text);

        /** The hash's fields: 0 mixed, 1 seq, 2 send time, 3 pair; {@code at} is where the hash starts. */
        int hashAt(String text) {
            int at = text.indexOf(HASH_FIELD);
            if (at < 0 || text.length() < at + HASH_FIELD.length() + HASH_LENGTH) {
                fail("no messageHash in " + text);
                return -1;
            }
            return at + HASH_FIELD.length();
        }
    }

    /** A sender: {@code message_sent} (the latency to it), {@code message_status} pushes (counted). */
    private final class Sender extends Listener {
        Sender(CompletableFuture<Void> registered) {
            super(registered);
        }

        @Override
        boolean handle(String text) {
            if (text.startsWith("{\"type\":\"message_sent\"")) {
                long now = System.nanoTime();
                int at = hashAt(text);
                if (at >= 0) {
                    int seq = (int) field(text, at + 16);
                    int pair = (int) field(text, at + 48);
                    ack[seq] = now - field(text, at + 32);
                    flows[pair].acked.incrementAndGet();
                    events.progressed(pair);
                }
                return true;
            }
            if (text.startsWith("{\"type\":\"message_status\"")) {
                messageStatus.incrementAndGet();
                return true;
            }
            return false; // message_queued included: the recipient is online, so that is a failure
        }
    }

    /** A recipient: {@code message} (the latency to it), acknowledged at once. */
    private final class Recipient extends Listener {
        private final BitSet seen = new BitSet();

        Recipient(CompletableFuture<Void> registered) {
            super(registered);
        }

        @Override
        boolean handle(String text) {
            if (!text.startsWith("{\"type\":\"message\",")) {
                return false;
            }
            long now = System.nanoTime();
            int at = hashAt(text);
            if (at < 0) {
                return true;
            }
            int seq = (int) field(text, at + 16);
            int pair = (int) field(text, at + 48);
            recipients.get(pair).sendText(ackPrefix + text.substring(at, at + HASH_LENGTH) + ackSuffix)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            fail("pair " + pair + ": an ack failed: " + e);
                        }
                    });
            if (seen.get(seq)) {
                duplicates.incrementAndGet();
                return true;
            }
            seen.set(seq);
            delivery[seq] = now - field(text, at + 32);
            if (now >= windowStart && now < windowEnd) {
                deliveredInWindow.incrementAndGet();
            }
            flows[pair].delivered.incrementAndGet();
            events.progressed(pair);
            return true;
        }
    }

    /**
     * The closed loop of {@link ServerLoad} and {@link ClusterLoad}: sends from {@code pair} while fewer than
     * {@code window} of its messages are unanswered or undelivered; stops everything once the frames run out.
     */
    void refill(int pair, int window, java.util.concurrent.atomic.AtomicLong issued,
            java.util.concurrent.atomic.AtomicInteger nextSeq, java.util.concurrent.atomic.AtomicBoolean running) {
        Flow f = flow(pair);
        while (running.get()) {
            long s = issued.get();
            if (s >= Math.min(f.acked.get(), f.delivered.get()) + window) {
                return;
            }
            if (issued.compareAndSet(s, s + 1)) {
                int seq = nextSeq.getAndIncrement();
                if (seq >= capacity()) {
                    running.set(false);
                    return;
                }
                send(pair, seq, System.nanoTime());
            }
        }
    }
}
