package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.CodecException;
import io.github.demosim.ConnectionState;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.TransportException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.HostileFrames;
import io.github.demosim.reliability.support.HostileFrames.Hostile;
import io.github.demosim.reliability.support.HostileServer;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.Peers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Hostile frames from a server at both SDK peers, over every transport ({@link HostileServer}, {@link HostileFrames}):
 * while a request waits, the server sends a hostile frame and then the request's real reply. Nothing crashes;
 * a frame the codec cannot read reaches {@code onError} as a {@link CodecException}; the waiting request still
 * completes with its reply, on the same connection. A binary frame that is not UTF-8 is a protocol violation
 * the transport answers by closing with 1007 (docs/transports.md): then the waiting request fails with
 * {@code NOT_CONNECTED} (IM-REQUEST-002) caused by the transport's {@code IM-TRANSPORT-002} saying so, the reply
 * behind the bad frame is not delivered, the server gets the close frame, and the peer reconnects. (This found a
 * bug: Java-WebSocket dropped the socket before the close frame reached the server, which saw 1006.)
 *
 * <p>100 tries per property: each is two frames and a round trip on loopback, a few milliseconds.
 */
class ClientHostileInputProperties {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<AutoCloseable> OPEN = new CopyOnWriteArrayList<>();
    private static L2psFixture l2psJavaWebSocket;
    private static L2psFixture l2psTyrus;
    private static LegacyFixture legacyJavaWebSocket;
    private static LegacyFixture legacyTyrus;
    private static L2psFixture l2psJdk;
    private static LegacyFixture legacyJdk;

    @AfterContainer
    static void closeAll() throws Exception {
        for (AutoCloseable c : OPEN) {
            c.close();
        }
    }

    @Provide
    Arbitrary<Hostile> toL2ps() {
        return HostileFrames.toL2psClient();
    }

    @Provide
    Arbitrary<Hostile> toLegacy() {
        return HostileFrames.toLegacyClient();
    }

    @Property(tries = 100)
    void l2psPeerOnJavaWebSocket(@ForAll("toL2ps") Hostile hostile) {
        if (l2psJavaWebSocket == null) {
            l2psJavaWebSocket = new L2psFixture("java-websocket");
        }
        l2psJavaWebSocket.attack(hostile);
    }

    @Property(tries = 100)
    void l2psPeerOnTyrus(@ForAll("toL2ps") Hostile hostile) {
        if (l2psTyrus == null) {
            l2psTyrus = new L2psFixture("tyrus");
        }
        l2psTyrus.attack(hostile);
    }

    @Property(tries = 100)
    void legacyPeerOnJavaWebSocket(@ForAll("toLegacy") Hostile hostile) {
        if (legacyJavaWebSocket == null) {
            legacyJavaWebSocket = new LegacyFixture("java-websocket");
        }
        legacyJavaWebSocket.attack(hostile);
    }

    @Property(tries = 100)
    void legacyPeerOnTyrus(@ForAll("toLegacy") Hostile hostile) {
        if (legacyTyrus == null) {
            legacyTyrus = new LegacyFixture("tyrus");
        }
        legacyTyrus.attack(hostile);
    }

    @Property(tries = 100)
    void l2psPeerOnJdk(@ForAll("toL2ps") Hostile hostile) {
        if (l2psJdk == null) {
            l2psJdk = new L2psFixture("jdk");
        }
        l2psJdk.attack(hostile);
    }

    @Property(tries = 100)
    void legacyPeerOnJdk(@ForAll("toLegacy") Hostile hostile) {
        if (legacyJdk == null) {
            legacyJdk = new LegacyFixture("jdk");
        }
        legacyJdk.attack(hostile);
    }

    @Example
    void aTextFrameThatIsNotUtf8ClosesTheConnectionAndThePeerComesBack() throws Exception {
        for (String transport : Peers.TRANSPORTS) {
            L2psFixture f = new L2psFixture(transport);
            f.connectPeer();
            try {
                CompletableFuture<List<String>> pending = f.peer.discover();
                f.conn.nextReceived();
                f.conn.send(OpCode.TEXT, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
                // java.net.http fails such a connection itself: it writes its 1007 close frame and drops the TCP
                // connection at once, so the server may see the reset first and report 1006 (docs/transports.md).
                assertThat(f.conn.closed()).as(transport).succeedsWithin(WAIT)
                        .isIn(transport.equals("jdk") ? List.of(1007, 1006) : List.of(1007));
                assertFailsNotConnected(pending);
                f.reconnected();
                assertThat(f.roundTrip()).isTrue();
            } finally {
                f.closePeer();
            }
        }
    }

    /** Runs one attack; the fixture differs per protocol. */
    private abstract static class Fixture {
        final String transport;
        final HostileServer server;
        final List<ErrorEvent> errors = new CopyOnWriteArrayList<>();
        HostileServer.Conn conn;

        Fixture(String transport, java.util.function.Function<String, String> autoReply) {
            this.transport = transport;
            server = HostileServer.start(autoReply);
            OPEN.add(server);
        }

        /** Starts the waiting request; returns its future (of the peers it lists). */
        abstract CompletableFuture<List<String>> request();

        /** The real reply to the request the server just received. */
        abstract String replyTo(String request, String marker);

        /** Whether the codec cannot read this text as a server frame. */
        abstract boolean undecodable(String text);

        /** Whether a readable frame would legitimately answer or fail the waiting request. */
        abstract boolean answersTheRequest(String text);

        abstract ConnectionState state();

        /** Builds and connects a fresh peer, so that one try cannot spoil the next. */
        abstract void connectPeer();

        abstract void closePeer();

        /**
         * The close codes the server may see when the client closes because of a binary frame that is not UTF-8.
         * Java-WebSocket reads on until the server ends the closing handshake (transport-javawebsocket
         * CloseHandshakeTests): always 1007. Tyrus closes its socket right after sending its close frame; when the
         * server's reply is still arriving, the reset can reach the server before it reads that frame, and it
         * reports 1006. java.net.http reads on too, but refuses to let a client send 1007: the jdk transport sends
         * 1008 (docs/transports.md).
         */
        List<Integer> serverCloseCodes() {
            switch (transport) {
                case "java-websocket":
                    return List.of(1007);
                case "jdk":
                    return List.of(1008);
                default:
                    return List.of(1007, 1006);
            }
        }

        void attack(Hostile h) {
            String text = h.asText();
            boolean breaksConnection = h.isBinary() && !isUtf8(h.binary());
            Assume.that(breaksConnection || undecodable(text) || !answersTheRequest(text));
            connectPeer();
            try {
                attackConnected(h, text, breaksConnection);
            } finally {
                closePeer();
            }
        }

        private void attackConnected(Hostile h, String text, boolean breaksConnection) {
            int connections = server.connections();
            int errorsBefore = errors.size();
            CompletableFuture<List<String>> pending = request();
            String request = conn.nextReceived();
            if (h.isBinary()) {
                conn.send(OpCode.BINARY, h.binary());
            } else {
                conn.sendText(h.text());
            }
            String marker = UUID.randomUUID().toString();
            conn.sendText(replyTo(request, marker));
            if (breaksConnection) {
                assertThat(conn.closed()).as("%s", h).succeedsWithin(WAIT).satisfies(code -> assertThat(code)
                        .isIn(serverCloseCodes()));
                Throwable cause = assertFailsNotConnected(pending);
                // docs/transports.md: "a binary frame that is not UTF-8 closes with 1007" (IM-TRANSPORT-002).
                assertThat(causeOfType(cause, TransportException.class)).as("%s", h).satisfies(t -> {
                    assertThat(t.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
                    assertThat(t.getMessage()).contains("binary frame", "not valid UTF-8", "1007");
                });
                reconnected();
                return;
            }
            assertThat(pending).as("the waiting request after %s", h).succeedsWithin(WAIT)
                    .isEqualTo(List.of(marker));
            if (undecodable(text)) {
                Await.until(() -> "onError for " + h, WAIT, () -> errors.size() > errorsBefore);
                assertThat(errors.subList(errorsBefore, errors.size())).as("%s", h)
                        .anyMatch(e -> e.error() instanceof CodecException);
            }
            assertThat(state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(server.connections()).as("no reconnection after %s", h).isEqualTo(connections);
        }

        /** The peer opened a new connection and registered again, then re-synchronised presence with a discover. */
        void reconnected() {
            conn = server.nextConnection();
            Await.until("the peer connected again", WAIT, () -> state() == ConnectionState.CONNECTED);
            conn.sendText(replyTo(conn.nextReceived(), "after-reconnect"));
        }

        boolean roundTrip() throws Exception {
            CompletableFuture<List<String>> pending = request();
            String marker = UUID.randomUUID().toString();
            conn.sendText(replyTo(conn.nextReceived(), marker));
            return pending.get(WAIT.toSeconds(), TimeUnit.SECONDS).equals(List.of(marker));
        }
    }

    private static final class L2psFixture extends Fixture {
        final Identity id = Identity.generate();
        L2psMessagingPeer peer;

        L2psFixture(String transport) {
            super(transport, ClientHostileInputProperties::registerL2ps);
        }

        @Override
        void connectPeer() {
            peer = Peers.l2ps(server.uri(), id, transport).features(Set.of()).requestTimeout(WAIT).build();
            peer.onError(errors::add);
            peer.onMessage(m -> { });
            peer.connect().join();
            conn = server.nextConnection();
        }

        @Override
        void closePeer() {
            peer.close();
        }

        @Override
        CompletableFuture<List<String>> request() {
            return peer.discover();
        }

        @Override
        String replyTo(String request, String marker) {
            String rid = Json.str(Json.parse(request), "requestId");
            return Json.write(Json.obj("type", "discover_response", "payload", Json.obj("peers", List.of(marker)),
                    "timestamp", System.currentTimeMillis(), "requestId", rid));
        }

        @Override
        boolean undecodable(String text) {
            return decodes(() -> Json.CODEC.decode(text, L2psServerFrame.class)) == null;
        }

        @Override
        boolean answersTheRequest(String text) {
            L2psServerFrame f = decodes(() -> Json.CODEC.decode(text, L2psServerFrame.class));
            return f != null && Set.of("error", "discover_response").contains(f.type());
        }

        @Override
        ConnectionState state() {
            return peer.state();
        }
    }

    private static final class LegacyFixture extends Fixture {
        final Identity id = Identity.generate();
        MessagingPeer peer;

        LegacyFixture(String transport) {
            super(transport, ClientHostileInputProperties::registerLegacy);
        }

        @Override
        void connectPeer() {
            peer = Peers.legacy(server.uri(), "victim-" + UUID.randomUUID(), id, transport).requestTimeout(WAIT)
                    .build();
            peer.onError(errors::add);
            peer.onMessage(m -> { });
            peer.connect().join();
            conn = server.nextConnection();
        }

        @Override
        void closePeer() {
            peer.close();
        }

        @Override
        CompletableFuture<List<String>> request() {
            return peer.discover();
        }

        @Override
        String replyTo(String request, String marker) {
            assertThat(Json.type(Json.parse(request))).isEqualTo("discover");
            return Json.write(Json.obj("type", "discover", "payload", Json.obj("peers", List.of(marker))));
        }

        @Override
        boolean undecodable(String text) {
            return decodes(() -> Json.CODEC.decode(text, LegacyServerFrame.class)) == null;
        }

        @Override
        boolean answersTheRequest(String text) {
            LegacyServerFrame f = decodes(() -> Json.CODEC.decode(text, LegacyServerFrame.class));
            return f != null && Set.of("error", "discover").contains(f.type());
        }

        @Override
        ConnectionState state() {
            return peer.state();
        }
    }

    /** A hostile server still lets peers register: otherwise a reconnecting peer could not get back in. */
    private static String registerL2ps(String text) {
        JsonValue f = Json.parse(text);
        if (!"register".equals(Json.type(f))) {
            return null;
        }
        return Json.write(Json.obj("type", "registered", "payload", Json.obj("success", true,
                "publicKey", Json.str(f, "payload.publicKey"), "l2psUid", Json.str(f, "payload.l2psUid"),
                "onlinePeers", List.of()), "timestamp", System.currentTimeMillis(), "requestId", Json.str(f, "requestId")));
    }

    private static String registerLegacy(String text) {
        JsonValue f = Json.parse(text);
        if (!"register".equals(Json.type(f))) {
            return null;
        }
        return Json.write(Json.obj("type", "register", "payload", Json.obj("success", true,
                "clientId", Json.str(f, "payload.clientId"))));
    }

    private static <T> T decodes(Supplier<T> decode) {
        try {
            return decode.get();
        } catch (CodecException e) {
            return null;
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The request failed with NOT_CONNECTED (IM-REQUEST-002); returns that failure. */
    private static Throwable assertFailsNotConnected(CompletableFuture<?> pending) {
        try {
            pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the request completed although its connection was closed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ImException.class);
            assertThat(((ImException) e.getCause()).code()).isEqualTo(ErrorCode.NOT_CONNECTED);
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " among the causes of " + failure, failure);
    }
}
