package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import io.github.demosim.tck.generators.Frames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary text and arbitrary JSON at a running server (l2ps.md §4.2, §12 item 29): every frame gets exactly
 * one answer, an error frame or a valid reply; the server never closes the connection for it; and two other
 * clients keep exchanging messages throughout.
 *
 * <p>300 tries per property: each try is three WebSocket round trips plus a message exchange, about 10 ms on
 * loopback, so the pair stays within a few seconds on two cores. Generators are the TCK's ({@link Frames}).
 */
class ArbitraryFrameProperties {
    private static final Set<String> REPLIES = Set.of("error", "registered", "message_sent", "message_queued",
            "history_response", "discover_response", "public_key_response", "challenge_response");
    private static final AtomicInteger SENTINELS = new AtomicInteger();

    private static DemosImServer hardened;
    private static DemosImServer reference;
    private static Fixture hardenedFixture;
    private static Fixture referenceFixture;

    /** The fuzzed connection and the two bystanders of one server. */
    private record Fixture(L2psPeer fuzzed, L2psPeer alice, L2psPeer bob) {
        static Fixture on(DemosImServer server) {
            L2psPeer fuzzed = L2psPeer.connect(server.l2psUri());
            fuzzed.register("net_fuzz"); // its own network: no presence pushes from the bystanders
            L2psPeer alice = L2psPeer.connect(server.l2psUri());
            L2psPeer bob = L2psPeer.connect(server.l2psUri());
            alice.register();
            bob.register();
            alice.ws.await("peer_joined");
            return new Fixture(fuzzed, alice, bob);
        }

        /** The bystanders still talk: a message from Alice reaches Bob and is acknowledged. */
        void bystandersExchange() {
            String hash = L2psPeer.newHash();
            assertThat(Wire.type(alice.send(bob.pk(), "aGk=", hash))).isEqualTo("message_sent");
            assertThat(Wire.str(bob.ws.await("message"), "payload.messageHash")).isEqualTo(hash);
        }

        void close() {
            fuzzed.close();
            alice.close();
            bob.close();
        }
    }

    @BeforeContainer
    static void start() {
        hardened = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .l2psUids(L2psPeer.UID, "net_fuzz").rateLimit(100_000, 100_000).start();
        reference = DemosImServer.newBuilder().mode(ServerMode.REFERENCE).l2psPort(0).disableLegacy().inMemoryDatabase()
                .l2psUids(L2psPeer.UID, "net_fuzz").start();
        hardenedFixture = Fixture.on(hardened);
        referenceFixture = Fixture.on(reference);
    }

    @AfterContainer
    static void stop() {
        hardenedFixture.close();
        referenceFixture.close();
        hardened.close();
        reference.close();
    }

    @Provide
    Arbitrary<String> anyFrame() {
        Arbitrary<String> text = Frames.anyText();
        Arbitrary<String> json = Frames.jsonValues().map(WsClient.CODEC::write);
        Arbitrary<String> envelopes = Arbitraries.of("register", "send", "history", "discover", "request_public_key",
                "ack", "message", "")
                .flatMap(type -> Arbitraries.oneOf(Frames.jsonObjects().map(v -> (JsonValue) v), Frames.jsonValues())
                        .flatMap(payload -> Frames.jsonValues().injectNull(0.5).map(ts -> {
                            Map<String, JsonValue> m = new LinkedHashMap<>();
                            m.put("type", JsonValue.of(type));
                            m.put("payload", payload);
                            if (ts != null) {
                                m.put("timestamp", ts);
                            }
                            return WsClient.CODEC.write(new JsonValue.JsonObject(m));
                        })));
        Arbitrary<String> clientFrames = Frames.l2psClientFrames().map(WsClient.CODEC::encode);
        return Arbitraries.oneOf(text, json, envelopes, clientFrames).map(ArbitraryFrameProperties::wellFormedUtf16);
    }

    /** A WebSocket text message is UTF-8: lone surrogates cannot be sent at all, so they become U+FFFD. */
    static String wellFormedUtf16(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    @Property(tries = 300)
    void hardenedAnswersEveryFrameExactlyOnceInOrder(@ForAll("anyFrame") String frame) {
        Fixture f = hardenedFixture;
        f.fuzzed.ws.send(frame);
        String sentinel = "sentinel-" + SENTINELS.incrementAndGet();
        f.fuzzed.ws.send(obj("type", "discover", "payload", obj(), "requestId", sentinel));
        List<JsonValue> answers = new ArrayList<>();
        while (true) {
            JsonValue a = f.fuzzed.ws.next();
            if (sentinel.equals(Wire.str(a, "requestId"))) {
                assertThat(Wire.type(a)).isEqualTo("discover_response");
                break;
            }
            answers.add(a);
        }
        assertThat(answers).as("answers to %s", frame).hasSize(1);
        JsonValue answer = answers.get(0);
        assertThat(REPLIES).contains(Wire.type(answer));
        if ("error".equals(Wire.type(answer))) {
            assertThat(((JsonValue.JsonObject) Wire.payload(answer)).members().keySet())
                    .containsExactly("code", "message");
        }
        assertThat(f.fuzzed.ws.isClosed()).isFalse();
        f.bystandersExchange();
    }

    @Property(tries = 300)
    void referenceAnswersEveryFrameButJsonNull(@ForAll("anyFrame") String frame) {
        Fixture f = referenceFixture;
        boolean isNull = isJsonNull(frame);
        f.fuzzed.ws.send(frame);
        f.fuzzed.ws.send(obj("type", "discover", "payload", obj()));
        // Frames are handled concurrently in reference mode: the two answers may come in either order.
        List<JsonValue> answers = new ArrayList<>();
        for (int i = 0; i < (isNull ? 1 : 2); i++) {
            answers.add(f.fuzzed.ws.next());
        }
        assertThat(answers).extracting(Wire::type).allMatch(REPLIES::contains).contains("discover_response");
        // One more round trip: exactly its own answer, nothing left over from the fuzzed frame.
        f.fuzzed.ws.send(obj("type", "discover", "payload", obj()));
        assertThat(Wire.type(f.fuzzed.ws.next())).isEqualTo("discover_response");
        assertThat(f.fuzzed.ws.isClosed()).isFalse();
        f.bystandersExchange();
    }

    private static boolean isJsonNull(String frame) {
        try {
            return WsClient.CODEC.parse(frame) instanceof JsonValue.JsonNull;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
