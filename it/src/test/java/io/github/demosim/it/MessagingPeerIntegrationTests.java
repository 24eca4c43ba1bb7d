package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.L2psPeerIntegrationTests.assertServerError;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.CAROL;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.KeyChangeEvent;
import io.github.demosim.KeyRole;
import io.github.demosim.MessageQueuedEvent;
import io.github.demosim.MessagingPeer;
import io.github.demosim.RequestOptions;
import io.github.demosim.ServerQuestionEvent;
import io.github.demosim.TextMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The legacy {@code MessagingPeer} against this project's server over real sockets: every transport, both
 * server modes (legacy-and-crypto.md §A, §C.2 items 12–18).
 */
class MessagingPeerIntegrationTests {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private DemosImServer server(ServerMode mode, UnaryOperator<DemosImServer.Builder> tweak) {
        DemosImServer s = tweak.apply(DemosImServer.newBuilder().mode(mode).legacyPort(0).disableL2ps()
                .inMemoryDatabase()).start();
        open.add(s);
        return s;
    }

    private MessagingPeer peer(DemosImServer server, String transport, String id, Identity identity) {
        MessagingPeer p = MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId(id).identity(identity)
                .transport(transport).codec("jackson").build();
        open.add(p);
        return p;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void registersDiscoversAndLooksUpKeys(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        assertThat(done(alice.connect())).isEqualTo(new io.github.demosim.LegacyRegistration("alice"));
        assertThat(alice.registration()).contains(new io.github.demosim.LegacyRegistration("alice"));
        done(bob.connect());
        assertThat(done(alice.discover())).containsExactlyInAnyOrder("alice", "bob"); // §A.3: includes self
        assertThat(alice.onlinePeers()).containsExactly("bob");
        assertThat(done(alice.requestPublicKey("bob"))).isEqualTo(BOB.mlKemPublicKey()); // §A.3: echoed as registered
    }

    // §A.8, §C.2 item 17: ml-kem-aes both ways, UTF-8 text
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void exchangesEncryptedMessagesBothWays(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        LinkedBlockingQueue<TextMessage> toAlice = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
        alice.onMessage(toAlice::add);
        bob.onMessage(toBob::add);
        done(alice.connect());
        done(bob.connect());

        done(alice.sendText("bob", "hello bob — ünïcödé ✓ 👋"));
        TextMessage m = next(toBob);
        assertThat(m.from()).isEqualTo("alice");
        assertThat(m.text()).isEqualTo("hello bob — ünïcödé ✓ 👋");
        assertThat(m.offline()).isFalse();
        done(bob.sendText("alice", "hi alice"));
        assertThat(next(toAlice).text()).isEqualTo("hi alice");
    }

    // §A.8 and §C.1 #8: with a known key a message reaches an offline target through the store, replayed with its
    // storage time at the next registration; peer_disconnected on the way
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void storesForOfflineTargetsAndReplaysOnRegistration(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        LinkedBlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<MessageQueuedEvent> queued = new LinkedBlockingQueue<>();
        alice.onPeerLeft(disconnected::add);
        alice.onMessageQueued(queued::add);
        done(alice.connect());
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        done(bob.connect());
        done(alice.requestPublicKey("bob")); // remembered
        bob.close();
        assertThat(next(disconnected)).isEqualTo("bob");

        done(alice.sendText("bob", "first, while you were away"));     // the remembered key
        MessageQueuedEvent q = next(queued);
        assertThat(q.targetId()).isEqualTo("bob");
        assertThat(q.status()).isEqualTo("offline");
        assertThat(q.message()).isEqualTo("Message stored for offline delivery");
        // Stored before the second is sent: a reference server handles one connection's frames concurrently
        // (§A.6), so two messages sent back to back may be stored, and replayed, in either order.
        done(alice.sendText("bob", BOB.mlKemPublicKey(), "second"));   // a key given explicitly
        assertThat(next(queued).targetId()).isEqualTo("bob");

        MessagingPeer bobAgain = peer(server, transport, "bob", BOB);
        LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
        bobAgain.onMessage(toBob::add);
        done(bobAgain.connect());
        TextMessage first = next(toBob);
        assertThat(first.text()).isEqualTo("first, while you were away");
        assertThat(first.from()).isEqualTo("alice");
        assertThat(first.offline()).isTrue();
        assertThat(first.storedAt().orElseThrow()).isAfter(java.time.Instant.EPOCH);
        assertThat(next(toBob).text()).isEqualTo("second");
    }

    // §C.1 #9: a reference server lets anyone register an id whose owner is offline, and the key lookups of the
    // owner's contacts then return the newcomer's key; the peer warns when the key it knew for an id changes. A
    // hardened server binds the id to the ML-DSA key that first registered it and refuses the newcomer for good.
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void warnsWhenTheKeyOfAnIdChanges(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        LinkedBlockingQueue<KeyChangeEvent> changes = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
        alice.onKeyChange(changes::add);
        alice.onPeerLeft(disconnected::add);
        done(alice.connect());
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        done(bob.connect());
        assertThat(done(alice.requestPublicKey("bob"))).isEqualTo(BOB.mlKemPublicKey());
        bob.close();
        assertThat(next(disconnected)).isEqualTo("bob");

        MessagingPeer impostor = peer(server, transport, "bob", CAROL);
        if (mode == ServerMode.HARDENED) {
            assertServerError(failure(impostor.connect()), "CLIENT_ID_TAKEN", "Client ID bob is bound to another key: "
                    + "only the ML-DSA key that first registered it can register it again; choose another client id");
            assertServerError(failure(alice.requestPublicKey("bob")), "PEER_NOT_FOUND", "Target peer bob not found");
            assertThat(changes).isEmpty();
        } else {
            done(impostor.connect());
            assertThat(done(alice.requestPublicKey("bob"))).isEqualTo(CAROL.mlKemPublicKey());
            KeyChangeEvent change = next(changes);
            assertThat(change).isEqualTo(new KeyChangeEvent("bob", KeyRole.ENCRYPTION, BOB.mlKemPublicKey(), CAROL.mlKemPublicKey()));
        }
    }

    // §A.3/§A.6 debug_question → server_question; §C.1 #7: peer_response has no handler on the server
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void answersServerQuestions(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> answered = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        alice.onServerQuestion(q -> alice.respondToServer(q.questionId(), JsonValue.of("Java"))
                .thenRun(() -> answered.add(q.text().orElseThrow())));
        done(alice.connect());

        // a question the peer waits for (sendToServerAndWait) ...
        LegacyServerFrame f = done(alice.sendToServerAndWait(new DebugQuestion(JsonValue.JsonObject.empty()),
                ServerQuestion.TYPE, RequestOptions.defaults()));
        ServerQuestionEvent asked = new ServerQuestionEvent(((ServerQuestion) f).questionId(),
                ((ServerQuestion) f).question());
        assertThat(asked.questionId()).matches("[0-9a-f-]{36}");
        assertThat(asked.text()).contains("This is a debug question. What is your favorite programming language?");

        // ... and one that arrives unannounced goes to onServerQuestion, which answers it
        done(alice.sendToServer(new DebugQuestion(JsonValue.JsonObject.empty())));
        assertThat(next(answered)).startsWith("This is a debug question.");
        ErrorEvent rejected = next(errors);
        assertThat(rejected.serverCode()).contains("INVALID_MESSAGE");
        assertThat(rejected.error()).hasMessageContaining("Unknown message type: peer_response");
    }

    // §A.7: every error type the client's API can provoke reaches the caller (the reference SDK never delivers them).
    // Not provokable: REGISTRATION_REQUIRED (the peer writes nothing before its registration is acknowledged),
    // RATE_LIMITED (floods are paced, not refused: aFloodIsPacedNotRefused).
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void reportsEveryServerErrorTheClientCanProvoke(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        done(alice.connect());

        // CLIENT_ID_TAKEN
        MessagingPeer impostor = peer(server, transport, "alice", CAROL);
        assertServerError(failure(impostor.connect()), "CLIENT_ID_TAKEN", "Client ID alice is already taken");
        // PEER_NOT_FOUND, for the key request of that id
        CompletableFuture<Bytes> other = alice.requestPublicKey("alice");
        assertServerError(failure(alice.requestPublicKey("nobody")), "PEER_NOT_FOUND", "Target peer nobody not found");
        assertThat(done(other)).isEqualTo(ALICE.mlKemPublicKey());
        // a send that needs the key of an offline id fails with KEY_NOT_FOUND, the server's refusal as its cause
        Throwable noKey = failure(alice.sendText("nobody", "hello?"));
        assertThat(noKey).isInstanceOf(ImException.class).hasMessageContaining("sendText(targetId, kemPublicKey, text)");
        assertThat(((ImException) noKey).code()).isEqualTo(ErrorCode.KEY_NOT_FOUND);
        assertServerError(noKey.getCause(), "PEER_NOT_FOUND", null);
        // INVALID_MESSAGE
        assertServerError(failure(alice.sendToServerAndWait(new RequestPublicKey(""), "public_key_response",
                RequestOptions.defaults())), "INVALID_MESSAGE", "Missing target ID");
        // INVALID_PUBLIC_KEY and INVALID_PROOF: registering one more id on this socket, with a bad key, a bad proof
        SignedObject carolProof = DEMOS.legacyRegistrationProof(CAROL);
        assertServerError(failure(alice.sendToServerAndWait(new Register("mallory", Bytes.empty(), carolProof),
                RegisterAck.TYPE, RequestOptions.defaults())), "INVALID_PUBLIC_KEY", "Invalid public key format");
        SignedObject forged = new SignedObject("ml-dsa", Bytes.of(CAROL.signMlDsa("not my key".getBytes())).toBase64(),
                carolProof.serializedPublicKey(), carolProof.serializedMessage());
        assertServerError(failure(alice.sendToServerAndWait(new Register("mallory", CAROL.mlKemPublicKey(), forged),
                RegisterAck.TYPE, RequestOptions.defaults())), "INVALID_PROOF", "Invalid proof");
        // INTERNAL_ERROR: the 101st stored message of one sender (§A.8); sends complete when written, so the
        // refusal arrives as an error event
        for (int i = 0; i < 101; i++) {
            done(alice.sendText("offline-friend", CAROL.mlKemPublicKey(), "msg " + i));
        }
        ErrorEvent limit = Await.nextMatching(errors, e -> e.serverCode().equals(java.util.Optional.of("INTERNAL_ERROR")));
        assertThat(limit.error()).hasMessageContaining("Offline message limit reached (100 messages)");
        assertThat(limit.failedRequest()).isFalse();
    }

    // hardened flood control paces a flood instead of refusing it (issue 14 item 5): every request is answered
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void aFloodIsPacedNotRefused(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b.rateLimit(10, 2));
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        done(alice.connect());
        List<CompletableFuture<List<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(alice.discover());
        }
        flood.forEach(f -> assertThat(done(f)).containsExactly("alice"));
        assertThat(errors).isEmpty();
    }

    // issue 14 item 5: our client never trips our server's flood control. Live messages get no answer (§A.8), so a
    // refused one would be lost with only an error event; a burst beyond the budget (bursts of 500) is paced instead.
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void deliversABurstLargerThanTheFloodControlBudget(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<TextMessage> toBob = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        bob.onMessage(toBob::add);
        done(alice.connect());
        done(bob.connect());
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            sent.add(alice.sendText("bob", BOB.mlKemPublicKey(), "burst " + i));
        }
        sent.forEach(Await::done);
        for (int i = 0; i < 700; i++) {
            assertThat(next(toBob).text()).isEqualTo("burst " + i); // hardened: one connection's frames in order
        }
        assertThat(done(alice.discover())).containsExactlyInAnyOrder("alice", "bob");
        assertThat(errors).isEmpty();
    }

    // §C.2 item 13 (and §C.1 #5 fixed): a waiting request survives an incoming chat message and other replies
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void waitingRequestsSurviveUnrelatedFrames(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b);
        MessagingPeer alice = peer(server, transport, "alice", ALICE);
        MessagingPeer bob = peer(server, transport, "bob", BOB);
        LinkedBlockingQueue<TextMessage> toAlice = new LinkedBlockingQueue<>();
        alice.onMessage(toAlice::add);
        done(alice.connect());
        done(bob.connect());
        List<CompletableFuture<?>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(alice.discover());
            requests.add(alice.requestPublicKey(i % 2 == 0 ? "bob" : "alice"));
            bob.sendText("alice", "noise " + i); // each one arrives while requests wait
        }
        requests.forEach(Await::done);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add(next(toAlice).text());
        }
        List<String> sent = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "noise " + i).toList();
        if (mode == ServerMode.HARDENED) {
            assertThat(texts).isEqualTo(sent); // one connection's frames are handled in order
        } else {
            assertThat(texts).containsExactlyInAnyOrderElementsOf(sent); // §A.6: handled concurrently, may reorder
        }
        assertThat(done(alice.requestPublicKey("bob"))).isEqualTo(BOB.mlKemPublicKey());
    }
}
