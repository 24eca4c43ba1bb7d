package io.github.demosim.it;

import io.github.demosim.L2psStatus;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ConnectionState;
import io.github.demosim.ConnectionStateChange;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.HistoryPage;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.PublicKeyLookup;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.ServerErrorException;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The L2PS peer's state machine against a server scripted frame by frame (l2ps.md §2.1, §4.1, §9, §12 items
 * 31–35), over real sockets, on every transport.
 */
class L2psPeerScriptedTests {
    private static final String UID = "testnet_l2ps_001";
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 10, 0);

    private ScriptedServer<L2psClientFrame> server;
    private L2psMessagingPeer peer;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer<>(L2psClientFrame.class);
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    private L2psMessagingPeer alice(String transport, ReconnectPolicy policy) {
        peer = L2psMessagingPeer.newBuilder().serverUri(server.uri()).identity(ALICE).l2psUid(UID)
                .transport(transport).codec("jackson").reconnectPolicy(policy).requestTimeout(Duration.ofSeconds(20))
                .sendTimeout(Duration.ofSeconds(20)).build();
        return peer;
    }

    /** Answers the register on {@code conn} like a reference node: no requestId, no features. */
    private static Register register(ScriptedServer<L2psClientFrame>.Conn conn, List<String> online, List<String> features)
            throws InterruptedException {
        Register r = conn.expect(Register.class);
        conn.send(new Registered(true, r.publicKey(), r.l2psUid(), online, features, System.currentTimeMillis(), null));
        return r;
    }

    // §12 item 32: the proof signs the frame's own timestamp, as plain digits
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void registersWithAProofOverTheFramesTimestampAndCompletesWithoutAnEcho(String transport) throws Exception {
        CompletableFuture<L2psRegistration> connected = alice(transport, FAST).connect();
        var conn = server.next();
        Register r = register(conn, List.of(BOB.ed25519PublicKeyHex()), List.of());

        assertThat(r.publicKey()).isEqualTo(ALICE.ed25519PublicKeyHex());
        assertThat(r.requestId()).matches("req_\\d+_[0-9a-f]{10}");
        assertThat(DEMOS.verifyL2psProof(r.publicKey(), DemosCrypto.registerProofMessage(r.publicKey(), r.timestamp()),
                r.proof())).isTrue();
        assertThat(r.kemPublicKey()).isEqualTo(ALICE.mlKemPublicKey().toBase64());
        assertThat(r.features()).contains("ack", "message_status", "key_directory");

        L2psRegistration reg = connected.get(10, TimeUnit.SECONDS);
        assertThat(reg.onlinePeers()).containsExactly(BOB.ed25519PublicKeyHex());
        assertThat(peer.onlinePeers()).containsExactly(BOB.ed25519PublicKeyHex());
        assertThat(peer.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    // §4.1 and §12 item 33: nothing but the register goes out before registered arrives
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void waitsForRegisteredBeforeSendingAnythingElse(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        alice.connect();
        CompletableFuture<List<String>> discovered = alice.discover();
        var conn = server.next();
        conn.expect(Register.class);
        conn.expectSilence(300);
        conn.send(new Registered(true, ALICE.ed25519PublicKeyHex(), UID, List.of(), List.of(), 1L, null));
        Discover d = conn.expect(Discover.class);
        conn.send(new DiscoverResponse(List.of(ALICE.ed25519PublicKeyHex()), 2L, null));
        assertThat(discovered.get(10, TimeUnit.SECONDS)).containsExactly(ALICE.ed25519PublicKeyHex());
        assertThat(d.requestId()).isNotNull();
    }

    // §2.1, §12 item 31: without an echo, replies are matched by hash, target, and per type in order; pushes
    // and replies nobody asked for in between never disturb a waiting request
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void unrelatedFramesNeverBreakWaitingRequests(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        LinkedBlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
        alice.onMessage(received::add);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        register(conn, List.of(), List.of());
        connected.get(10, TimeUnit.SECONDS);

        String bob = BOB.ed25519PublicKeyHex();
        Encrypted payload = Encrypted.of("Y2lwaGVy", "bm9uY2U=", null);
        CompletableFuture<SendResult> s1 = alice.send(bob, payload, "hash-1");
        CompletableFuture<SendResult> s2 = alice.send(bob, payload, "hash-2");
        CompletableFuture<PublicKeyLookup> key = alice.requestPublicKey(bob);
        CompletableFuture<List<String>> discover = alice.discover();
        CompletableFuture<HistoryPage> history = alice.history(bob, 10);
        conn.expect(Send.class);
        conn.expect(Send.class);
        conn.expect(RequestPublicKey.class);
        conn.expect(Discover.class);
        History h = conn.expect(History.class);
        assertThat(DEMOS.verifyL2psProof(ALICE.ed25519PublicKeyHex(),
                DemosCrypto.historyProofMessage(bob, h.timestamp()), h.proof())).isTrue();

        conn.send(new Message(bob, payload, "incoming-1", false, null, 1L, null));
        conn.send(new PeerJoined(bob, 1L, null));
        conn.send(new MessageSent("hash-nobody-sent", "submitted", 1L, null));
        conn.send(new PublicKeyResponse("someone-else", null, null, 1L, null));
        conn.send(new MessageQueued("hash-2", "queued", 1L, null));
        conn.send(new HistoryResponse(List.of(new StoredMessage("id-1", bob, ALICE.ed25519PublicKeyHex(), "x",
                payload, UID, null, 5L, L2psStatus.DELIVERED)), false, 1L, null));
        conn.send(new Message(bob, payload, "incoming-2", true, null, 1L, null));
        conn.send(new DiscoverResponse(List.of(bob, ALICE.ed25519PublicKeyHex()), 1L, null));
        conn.send(new PublicKeyResponse(bob, bob, null, 1L, null));
        conn.send(new PeerLeft("nobody-we-knew", 1L, null));
        conn.send(new MessageSent("hash-1", "submitted", 1L, null));

        assertThat(s1.get(10, TimeUnit.SECONDS)).isEqualTo(new SendResult("hash-1", SendOutcome.DELIVERED, L2psStatus.SUBMITTED));
        assertThat(s2.get(10, TimeUnit.SECONDS)).isEqualTo(new SendResult("hash-2", SendOutcome.QUEUED, L2psStatus.QUEUED));
        assertThat(key.get(10, TimeUnit.SECONDS).online()).isTrue();
        assertThat(discover.get(10, TimeUnit.SECONDS)).contains(bob);
        assertThat(history.get(10, TimeUnit.SECONDS).messages()).extracting(StoredMessage::id).containsExactly("id-1");
        assertThat(received.poll(10, TimeUnit.SECONDS).messageHash()).isEqualTo("incoming-1");
        ReceivedMessage offline = received.poll(10, TimeUnit.SECONDS);
        assertThat(offline.messageHash()).isEqualTo("incoming-2");
        assertThat(offline.offline()).isTrue();
        assertThat(alice.onlinePeers()).containsExactly(bob);
    }

    // §2.1: a server that echoes ids gets exact matching; a late reply to an id nobody waits for is ignored
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void echoedIdsAreMatchedExactly(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        Register r = conn.expect(Register.class);
        conn.send(new Registered(true, r.publicKey(), UID, List.of(), List.of(), 1L, r.requestId()));
        connected.get(10, TimeUnit.SECONDS);

        CompletableFuture<List<String>> first = alice.discover();
        CompletableFuture<List<String>> second = alice.discover();
        Discover d1 = conn.expect(Discover.class);
        Discover d2 = conn.expect(Discover.class);
        conn.send(new DiscoverResponse(List.of("late"), 1L, "req_0_0000000000"));
        conn.send(new DiscoverResponse(List.of("two"), 1L, d2.requestId()));
        conn.send(new DiscoverResponse(List.of("one"), 1L, d1.requestId()));
        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("one");
        assertThat(second.get(10, TimeUnit.SECONDS)).containsExactly("two");
    }

    // §4.3, §4.4, §12 item 35: an error without an id fails the request its text names, not an older one;
    // every error also reaches onError; an error without message is tolerated
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void errorsWithoutIdsFailTheRequestTheyName(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        register(conn, List.of(), List.of());
        connected.get(10, TimeUnit.SECONDS);

        CompletableFuture<List<String>> discover = alice.discover();
        CompletableFuture<SendResult> send = alice.send(BOB.ed25519PublicKeyHex(), Encrypted.of("a", "b", null), "dup");
        conn.expect(Discover.class);
        conn.expect(Send.class);
        conn.send(new ErrorFrame("L2PS_SUBMIT_FAILED", "Duplicate message", 1L, null));
        assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                ServerErrorException.class, e -> {
                    assertThat(e.serverCode()).isEqualTo("L2PS_SUBMIT_FAILED");
                    assertThat(e.serverMessage()).contains("Duplicate message");
                });
        assertThat(discover).isNotDone();

        conn.send(new ErrorFrame("INTERNAL_ERROR", null, 1L, null));
        assertThatThrownBy(() -> discover.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ServerErrorException.class, e -> assertThat(e.serverMessage()).isEmpty());

        ErrorEvent first = errors.poll(10, TimeUnit.SECONDS);
        assertThat(first.serverCode()).contains("L2PS_SUBMIT_FAILED");
        assertThat(first.failedRequest()).isTrue();
        conn.send(new ErrorFrame("INTERNAL_ERROR", "Internal server error", 1L, null));
        assertThat(errors.poll(10, TimeUnit.SECONDS).serverCode()).contains("INTERNAL_ERROR");
        ErrorEvent unsolicited = errors.poll(10, TimeUnit.SECONDS);
        assertThat(unsolicited.failedRequest()).isFalse();
    }

    // §9.4 fixed (B24), §12 items 33–34: a drop fails what waits at once, the peer re-registers on a new socket
    // with a fresh proof, re-syncs presence with discover, then writes what was asked meanwhile
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void aDropFailsWaitingRequestsAtOnceThenReRegistersResyncsAndFlushes(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        List<ConnectionStateChange> states = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<String> joined = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> left = new LinkedBlockingQueue<>();
        alice.onConnectionStateChange(states::add);
        alice.onPeerJoined(joined::add);
        alice.onPeerLeft(left::add);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var first = server.next();
        Register r1 = register(first, List.of("carol", "dave"), List.of());
        connected.get(10, TimeUnit.SECONDS);
        assertThat(List.of(joined.take(), joined.take())).containsExactlyInAnyOrder("carol", "dave");

        CompletableFuture<SendResult> inFlight = alice.send("carol", Encrypted.of("a", "b", null), "h-1");
        first.expect(Send.class);
        long before = System.nanoTime();
        first.drop();
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ImException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
        // the future failed on the drop, not at its 20 s timeout
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));

        CompletableFuture<SendResult> meanwhile = alice.send("carol", Encrypted.of("a", "b", null), "h-2");
        var second = server.next();
        Register r2 = second.expect(Register.class);
        assertThat(r2.timestamp()).isGreaterThan(r1.timestamp());
        assertThat(DEMOS.verifyL2psProof(r2.publicKey(), DemosCrypto.registerProofMessage(r2.publicKey(), r2.timestamp()),
                r2.proof())).isTrue();
        second.send(new Registered(true, r2.publicKey(), UID, List.of("carol"), List.of(), 1L, null));
        second.expect(Discover.class);
        Send flushed = second.expect(Send.class);
        assertThat(flushed.messageHash()).isEqualTo("h-2");
        second.send(new DiscoverResponse(List.of("carol", "erin", ALICE.ed25519PublicKeyHex()), 1L, null));
        second.send(new MessageSent("h-2", "submitted", 1L, null));
        assertThat(meanwhile.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(SendOutcome.DELIVERED);
        assertThat(left.poll(10, TimeUnit.SECONDS)).isEqualTo("dave");
        assertThat(joined.poll(10, TimeUnit.SECONDS)).isEqualTo("erin");
        assertThat(alice.onlinePeers()).containsExactlyInAnyOrder("carol", "erin");

        // one register per socket, never two (B3)
        first.expectSilence(0);
        assertThat(states).extracting(ConnectionStateChange::current).containsSubsequence(
                ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED);
    }

    // B24: no silent stop: giving up is a state and an error event
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void givingUpIsReportedAndPendingWorkFails(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport,
                new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(40), 2, 0));
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ConnectionStateChange> states = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        alice.onConnectionStateChange(states::add);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        register(conn, List.of(), List.of());
        connected.get(10, TimeUnit.SECONDS);
        server.close();
        ErrorEvent gaveUp = errors.poll(20, TimeUnit.SECONDS);
        assertThat(gaveUp).isNotNull();
        assertThat(gaveUp.error().code()).isEqualTo(ErrorCode.NOT_CONNECTED);
        assertThat(gaveUp.error()).hasMessageContaining("after 2 attempt");
        ConnectionStateChange last;
        do {
            last = states.poll(10, TimeUnit.SECONDS);
        } while (last != null && last.current() != ConnectionState.DISCONNECTED);
        assertThat(last).isNotNull();
        assertThat(last.cause()).isPresent();
        assertThatThrownBy(() -> alice.discover().get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ImException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
    }

    // extension ack (ARCHITECTURE.md §5): acknowledged after the listener ran; duplicates by hash are dropped
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void acknowledgesAfterListenersAndDropsDuplicatesWhenTheServerOffersAck(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        register(conn, List.of(), List.of("ack"));
        connected.get(10, TimeUnit.SECONDS);
        // offline deliveries before any listener is registered are kept for the first one
        var sealed = DEMOS.seal(ALICE.mlKemPublicKey(), "hello alice".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        conn.send(new Message(BOB.ed25519PublicKeyHex(), sealed.toL2psEncrypted(), "m-1", true, 1234L, 1L, null));
        conn.send(new Message(BOB.ed25519PublicKeyHex(), sealed.toL2psEncrypted(), "m-1", true, 1234L, 1L, null));
        conn.expectSilence(200);
        LinkedBlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
        alice.onMessage(received::add);
        ReceivedMessage m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m.text()).contains("hello alice");
        assertThat(m.offline()).isTrue();
        assertThat(m.sentAt()).hasValue(java.time.Instant.ofEpochMilli(1234L));
        Ack ack = conn.expect(Ack.class);
        assertThat(ack.messageHash()).isEqualTo("m-1");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the duplicate is dropped").isNull();
        // the copy that arrived while the original waited for a listener is covered by the original's ack
        conn.expectSilence(0);
        // a redelivery after the ack (the ack was lost) is dropped and acknowledged again
        conn.send(new Message(BOB.ed25519PublicKeyHex(), sealed.toL2psEncrypted(), "m-1", true, 1234L, 1L, null));
        assertThat(conn.expect(Ack.class).messageHash()).isEqualTo("m-1");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    // a reference node gets no ack (it would answer 'Unknown type: ack')
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void sendsNoAckToAReferenceNode(String transport) throws Exception {
        L2psMessagingPeer alice = alice(transport, FAST);
        LinkedBlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
        alice.onMessage(received::add);
        CompletableFuture<L2psRegistration> connected = alice.connect();
        var conn = server.next();
        register(conn, List.of(), List.of());
        connected.get(10, TimeUnit.SECONDS);
        conn.send(new Message(BOB.ed25519PublicKeyHex(), Encrypted.of("x", "y", null), "m-9", false, null, 1L, null));
        assertThat(received.poll(10, TimeUnit.SECONDS).text()).isEmpty();
        conn.expectSilence(300);
        assertThat(alice.registration().map(L2psRegistration::features)).contains(Set.of());
    }
}
