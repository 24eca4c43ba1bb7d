package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.ImException;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.RequestOptions;
import io.github.demosim.ServerErrorException;
import io.github.demosim.TextMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.MessageQueued;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PublicKeyResponse;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.ServerQuestion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The legacy peer's request matching and lifecycle against a server scripted frame by frame
 * (legacy-and-crypto.md §A.9, §C.1 #4–#6, §C.2 items 13–16, 18), over real sockets, on every transport.
 */
class MessagingPeerScriptedTests {
    private ScriptedServer<LegacyClientFrame> server;
    private MessagingPeer peer;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer<>(LegacyClientFrame.class);
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    private MessagingPeer alice(String transport) {
        peer = MessagingPeer.newBuilder().serverUri(server.uri()).clientId("alice").identity(ALICE).transport(transport)
                .codec("jackson").requestTimeout(Duration.ofSeconds(20))
                .reconnectPolicy(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 10, 0)).build();
        return peer;
    }

    private ScriptedServer<LegacyClientFrame>.Conn connected(MessagingPeer p) throws InterruptedException {
        CompletableFuture<io.github.demosim.LegacyRegistration> c = p.connect();
        var conn = server.next();
        Register r = conn.expect(Register.class);
        // §C.2 item 12: clientId, the ML-KEM key as bytes, and the ML-DSA proof over exactly that key
        assertThat(r.clientId()).isEqualTo("alice");
        assertThat(r.publicKey()).isEqualTo(ALICE.mlKemPublicKey());
        assertThat(r.verification().algorithm()).isEqualTo("ml-dsa");
        assertThat(Bytes.fromBase64(r.verification().serializedMessage())).isEqualTo(ALICE.mlKemPublicKey());
        assertThat(DEMOS.verifyLegacyRegistrationProof(r.verification(), ALICE.mlKemPublicKey())).isTrue();
        conn.send(new RegisterAck(true, "alice"));
        done(c);
        return conn;
    }

    // §C.1 #5 fixed: the next frame is a chat message, a question, another reply; the waiters still get theirs
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void unrelatedFramesNeverBreakWaitingRequests(String transport) throws Exception {
        MessagingPeer alice = alice(transport);
        LinkedBlockingQueue<TextMessage> messages = new LinkedBlockingQueue<>();
        alice.onMessage(messages::add);
        var conn = connected(alice);
        CompletableFuture<Bytes> bobKey = alice.requestPublicKey("bob");
        CompletableFuture<Bytes> carolKey = alice.requestPublicKey("carol");
        CompletableFuture<List<String>> peers = alice.discover();
        conn.expect(RequestPublicKey.class);
        conn.expect(RequestPublicKey.class);
        conn.expect(Discover.class);

        var sealed = DEMOS.seal(ALICE.mlKemPublicKey(), "psst".getBytes(StandardCharsets.UTF_8));
        conn.send(new IncomingMessage(sealed.toEncryptedObject().toJson(), "bob", null));
        conn.send(new PeerDisconnected("dave"));
        conn.send(new MessageQueued("dave", "offline", "Message stored for offline delivery"));
        conn.send(new ServerQuestion("q-1", JsonValue.JsonObject.empty()));
        conn.send(new PublicKeyResponse("carol", keyJson(BOB.mlKemPublicKey())));
        conn.send(new DiscoverResponse(List.of("alice", "bob", "carol")));
        conn.send(new PublicKeyResponse("bob", keyJson(BOB.mlKemPublicKey())));

        assertThat(done(bobKey)).isEqualTo(BOB.mlKemPublicKey());
        assertThat(done(carolKey)).isEqualTo(BOB.mlKemPublicKey());
        assertThat(done(peers)).containsExactly("alice", "bob", "carol");
        TextMessage m = next(messages);
        assertThat(m.text()).isEqualTo("psst");
        assertThat(m.from()).isEqualTo("bob");
        assertThat(m.storedAt()).isEmpty();
    }

    // §C.2 item 13: PEER_NOT_FOUND names its id and fails that lookup only; an error naming no request kind
    // falls to the oldest waiting request
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void errorsFailTheRequestTheyName(String transport) throws Exception {
        MessagingPeer alice = alice(transport);
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        var conn = connected(alice);
        CompletableFuture<List<String>> peers = alice.discover();
        CompletableFuture<Bytes> bob = alice.requestPublicKey("bob");
        CompletableFuture<Bytes> carol = alice.requestPublicKey("carol");
        conn.expect(Discover.class);
        conn.expect(RequestPublicKey.class);
        conn.expect(RequestPublicKey.class);
        conn.send(new ErrorFrame("PEER_NOT_FOUND", "Target peer carol not found", "2026-07-10T09:15:41.123Z"));
        assertThat(failure(carol)).isInstanceOfSatisfying(ServerErrorException.class,
                e -> assertThat(e.serverCode()).isEqualTo("PEER_NOT_FOUND"));
        assertThat(bob).isNotDone();
        conn.send(new ErrorFrame("INTERNAL_ERROR", "JSON Parse error: Unexpected EOF", "2026-07-10T09:15:41.123Z"));
        assertThat(failure(peers)).isInstanceOf(ServerErrorException.class);
        conn.send(new PublicKeyResponse("bob", keyJson(BOB.mlKemPublicKey())));
        assertThat(done(bob)).isEqualTo(BOB.mlKemPublicKey());
        assertThat(next(errors).failedRequest()).isTrue();
        assertThat(next(errors).failedRequest()).isTrue();
    }

    // §A.9 sendToServerAndWait, §C.2 item 14: a retry sends the same frame again after each timeout; a filter
    // picks the answer; without an answer, REQUEST_TIMEOUT
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void sendToServerAndWaitRetriesAndFilters(String transport) throws Exception {
        MessagingPeer alice = alice(transport);
        var conn = connected(alice);
        CompletableFuture<LegacyServerFrame> answered = alice.sendToServerAndWait(
                new DebugQuestion(JsonValue.JsonObject.empty()), ServerQuestion.TYPE, RequestOptions.defaults()
                        .withTimeout(Duration.ofSeconds(1)).withRetries(2)
                        .withFilter(f -> ((ServerQuestion) f).questionId().equals("wanted")));
        conn.expect(DebugQuestion.class);
        conn.expect(DebugQuestion.class); // sent again after the first timeout
        conn.send(new ServerQuestion("not-this-one", JsonValue.JsonObject.empty()));
        conn.send(new ServerQuestion("wanted", JsonValue.JsonObject.empty()));
        assertThat(((ServerQuestion) done(answered)).questionId()).isEqualTo("wanted");

        Throwable timeout = failure(alice.sendToServerAndWait(new Discover(), DiscoverResponse.TYPE,
                RequestOptions.defaults().withTimeout(Duration.ofMillis(200))));
        assertThat(timeout).isInstanceOfSatisfying(ImException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TIMEOUT));
    }

    // §C.1 #4 fixed, §C.2 items 15–16: after a drop the peer registers again on the new socket, then sends what
    // was asked meanwhile, in order
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void reRegistersAfterADropThenFlushesInOrder(String transport) throws Exception {
        MessagingPeer alice = alice(transport);
        var first = connected(alice);
        CompletableFuture<List<String>> lost = alice.discover();
        first.expect(Discover.class);
        first.drop();
        assertThat(failure(lost)).isInstanceOfSatisfying(ImException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sends.add(alice.sendText("bob", BOB.mlKemPublicKey(), "queued " + i));
        }
        var second = server.next();
        second.expect(Register.class);
        second.send(new RegisterAck(true, "alice"));
        second.expect(Discover.class); // presence re-sync
        for (int i = 0; i < 3; i++) {
            var sent = second.expect(io.github.demosim.frame.legacy.SendMessage.class);
            assertThat(sent.targetId()).isEqualTo("bob");
            byte[] plain = BOB.open(io.github.demosim.crypto.SealedMessage.fromEncryptedObject(
                    io.github.demosim.frame.legacy.EncryptedObject.fromJson(sent.message()).orElseThrow()));
            assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("queued " + i);
        }
        sends.forEach(Await::done);
        first.expectSilence(0);
    }

    // §A.6: a reference server handles a connection's frames concurrently, and a discover reply carries only its
    // type (§A.9); so a discover asked while the re-registration's own presence re-sync waits is written only once
    // the re-sync is answered: otherwise the re-sync's older reply (read before bob registered) could come second
    // and answer it (seen once in MessagingPeerLifecycleTests under CPU stress: ["alice"] without "bob")
    @ParameterizedTest
    @MethodSource("io.github.demosim.it.Matrix#transports")
    void aDiscoverWaitsForTheOneInFlight(String transport) throws Exception {
        MessagingPeer alice = alice(transport);
        connected(alice).drop();
        var second = server.next();
        second.expect(Register.class);
        second.send(new RegisterAck(true, "alice"));
        second.expect(Discover.class); // the presence re-sync
        CompletableFuture<List<String>> asked = alice.discover();
        second.expectSilence(300); // an observation window: the second discover is not written yet
        second.send(new DiscoverResponse(List.of("alice")));
        second.expect(Discover.class);
        second.send(new DiscoverResponse(List.of("alice", "bob")));
        assertThat(done(asked)).containsExactly("alice", "bob");
    }

    private static JsonValue keyJson(Bytes key) {
        List<JsonValue> numbers = new ArrayList<>();
        for (byte b : key.toByteArray()) {
            numbers.add(JsonValue.of(b & 0xff));
        }
        return new JsonValue.JsonArray(numbers);
    }
}
