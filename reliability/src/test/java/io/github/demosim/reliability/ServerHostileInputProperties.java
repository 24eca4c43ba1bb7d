package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.CodecException;
import io.github.demosim.Identity;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.reliability.support.HostileFrames;
import io.github.demosim.reliability.support.HostileFrames.Hostile;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.RawClient;
import io.github.demosim.reliability.support.RawL2ps;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile messages at both protocols of a running server, in both modes, from the JDK's own WebSocket client:
 * valid frames with one member of the wrong type, huge numbers, nesting up to 100,000 deep, strings up to
 * 600,000 characters, the same as binary messages, random bytes, arbitrary text ({@link HostileFrames}). Every
 * message gets only answers the specifications document (l2ps.md §4.2–4.4, legacy-and-crypto.md §A.6–A.7,
 * docs/server.md), the hardened server answers each exactly once and never with {@code INTERNAL_ERROR}, the
 * connection stays open, and two other clients keep talking throughout.
 *
 * <p>300 tries per property: a try is a hostile message, a sentinel round trip and a message between the
 * bystanders, a few milliseconds, plus up to 600 KB on the wire for the large ones.
 */
class ServerHostileInputProperties {
    private static final Set<String> L2PS_REPLIES = Set.of("error", "registered", "message_sent", "message_queued",
            "history_response", "discover_response", "public_key_response", "challenge_response");
    private static final Set<String> L2PS_CODES = Set.of("INVALID_MESSAGE", "REGISTRATION_REQUIRED", "INVALID_PROOF",
            "L2PS_NOT_FOUND", "L2PS_SUBMIT_FAILED", "RATE_LIMITED", "INTERNAL_ERROR");
    private static final Set<String> LEGACY_REPLIES = Set.of("error", "register", "discover", "public_key_response",
            "message_queued", "server_question");
    private static final Set<String> LEGACY_CODES = Set.of("INVALID_MESSAGE", "CLIENT_ID_TAKEN", "PEER_NOT_FOUND",
            "INVALID_PUBLIC_KEY", "REGISTRATION_REQUIRED", "INVALID_PROOF", "INTERNAL_ERROR", "RATE_LIMITED");
    /** legacy-and-crypto.md §A.7 and docs/server.md: every INTERNAL_ERROR text the legacy server may send. */
    private static final Set<String> LEGACY_INTERNAL_TEXTS = Set.of("JSON Parse error: Unable to parse JSON string",
            "null is not an object (evaluating 'data.type')", "Failed to complete registration",
            "Failed to retrieve peer list", "Failed to route message", "Failed to retrieve public key",
            "Failed to store message", "Failed to store offline message",
            "Offline message limit reached (100 messages). Please wait for recipient to come online.");
    private static final String FUZZ_NET = "net_fuzz";
    private static final AtomicInteger SENTINELS = new AtomicInteger();

    private static DemosImServer hardened;
    private static DemosImServer reference;
    private static Bystanders hardenedPeers;
    private static Bystanders referencePeers;

    @BeforeContainer
    static void start() {
        // The pipeline stays out of the way: on a slow machine a round would push message_status for a fuzzed send
        // into the middle of another try's answers.
        hardened = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase()
                .l2psUids(Wire.UID, FUZZ_NET).rateLimit(100_000, 100_000).batchInterval(java.time.Duration.ofHours(1))
                .start();
        reference = DemosImServer.newBuilder().mode(ServerMode.REFERENCE).l2psPort(0).legacyPort(0).inMemoryDatabase()
                .l2psUids(Wire.UID, FUZZ_NET).start();
        hardenedPeers = Bystanders.on(hardened);
        referencePeers = Bystanders.on(reference);
    }

    @AfterContainer
    static void stop() {
        hardenedPeers.close();
        referencePeers.close();
        hardened.close();
        reference.close();
    }

    @Provide
    Arbitrary<Hostile> toL2ps() {
        return HostileFrames.toL2psServer();
    }

    @Provide
    Arbitrary<Hostile> toLegacy() {
        return HostileFrames.toLegacyServer();
    }

    @Property(tries = 300)
    void hardenedL2psAnswersEveryHostileMessageOnceAsDocumented(@ForAll("toL2ps") Hostile hostile) {
        Bystanders b = hardenedPeers;
        send(b.l2psFuzz, hostile);
        String sentinel = "sentinel-" + SENTINELS.incrementAndGet();
        b.l2psFuzz.send(Wire.discover(sentinel));
        List<JsonValue> answers = new ArrayList<>();
        for (JsonValue a = b.l2psFuzz.next(); !sentinel.equals(Json.str(a, "requestId")); a = b.l2psFuzz.next()) {
            if (isStatusPush(a)) {
                continue; // not an answer: the pipeline's news of an earlier try's message, whenever its round runs
            }
            answers.add(a);
        }
        assertThat(answers).as("answers to %s", hostile).hasSizeBetween(isAck(hostile) ? 0 : 1, 1);
        for (JsonValue a : answers) {
            assertDocumentedL2ps(a, hostile);
            if ("error".equals(Json.type(a))) {
                assertThat(Json.str(a, "payload.code")).as("%s", hostile).isNotEqualTo("INTERNAL_ERROR");
            }
        }
        if (hostile.rawLength() > 262_144) {
            assertThat(answers).extracting(Json::error).as("%s", hostile)
                    .containsExactly("INVALID_MESSAGE / Message too large (max 262144 bytes)");
        } else if (!parses(hostile)) {
            assertThat(answers).extracting(Json::error).as("%s", hostile).containsExactly("INVALID_MESSAGE / Invalid JSON");
        }
        b.checkAlive();
    }

    @Property(tries = 300)
    void referenceL2psAnswersOnlyAsDocumented(@ForAll("toL2ps") Hostile hostile) {
        // Frames of one connection are handled concurrently here (l2ps.md §4.1): answers are checked as they
        // come, up to the sentinel's, and whatever arrives later is checked with the next try.
        Bystanders b = referencePeers;
        send(b.l2psFuzz, hostile);
        String target = "sentinel-" + SENTINELS.incrementAndGet();
        b.l2psFuzz.send(Json.obj("type", "request_public_key", "payload", Json.obj("targetId", target)));
        for (JsonValue a = b.l2psFuzz.next(); !target.equals(Json.str(a, "payload.targetId")); a = b.l2psFuzz.next()) {
            assertDocumentedL2ps(a, hostile);
            if ("error".equals(Json.type(a)) && "INTERNAL_ERROR".equals(Json.str(a, "payload.code"))) {
                assertThat(Json.str(a, "payload.message")).isEqualTo("Internal server error");
            }
        }
        b.checkAlive();
    }

    @Property(tries = 300)
    void hardenedLegacyAnswersEveryHostileMessageAtMostOnceAsDocumented(@ForAll("toLegacy") Hostile hostile) {
        Bystanders b = hardenedPeers;
        send(b.legacyFuzz, hostile);
        String target = "sentinel-" + SENTINELS.incrementAndGet();
        List<JsonValue> answers = untilLegacySentinel(b.legacyFuzz, target);
        assertThat(answers).as("answers to %s", hostile).hasSizeLessThanOrEqualTo(1);
        answers.forEach(a -> assertDocumentedLegacy(a, hostile));
        if (!parses(hostile)) {
            assertThat(answers).extracting(Json::legacyError).as("%s", hostile)
                    .containsExactly("INTERNAL_ERROR / JSON Parse error: Unable to parse JSON string");
        }
        b.checkAlive();
    }

    @Property(tries = 300)
    void referenceLegacyAnswersOnlyAsDocumented(@ForAll("toLegacy") Hostile hostile) {
        Bystanders b = referencePeers;
        send(b.legacyFuzz, hostile);
        String target = "sentinel-" + SENTINELS.incrementAndGet();
        untilLegacySentinel(b.legacyFuzz, target).forEach(a -> assertDocumentedLegacy(a, hostile));
        b.checkAlive();
    }

    private static void send(RawClient ws, Hostile h) {
        net.jqwik.api.statistics.Statistics.collect(h.category());
        if (h.isBinary()) {
            ws.sendBinary(h.binary());
        } else {
            ws.send(h.text());
        }
    }

    private static List<JsonValue> untilLegacySentinel(RawClient ws, String target) {
        ws.send(Json.obj("type", "request_public_key", "payload", Json.obj("targetId", target)));
        String sentinelError = "PEER_NOT_FOUND / Target peer " + target + " not found";
        List<JsonValue> answers = new ArrayList<>();
        for (JsonValue a = ws.next(); !sentinelError.equals(Json.legacyError(a)); a = ws.next()) {
            answers.add(a);
        }
        return answers;
    }

    /**
     * The fuzzed connection asked for {@code message_status}, and the hostile sends it makes are stored: every
     * pipeline round (10 s) may push their status between any two frames. A run that takes longer than a round,
     * as on a loaded machine, sees them; they are checked as documented pushes, not counted as answers.
     */
    private static boolean isStatusPush(JsonValue a) {
        if (!"message_status".equals(Json.type(a))) {
            return false;
        }
        JsonValue.JsonObject p = (JsonValue.JsonObject) a.get("payload").orElseThrow();
        assertThat(p.members().keySet()).as(Json.write(a)).containsExactly("messageHash", "status", "l2psTxHash");
        assertThat(Json.str(a, "payload.status")).as(Json.write(a)).isIn("l2ps_batched", "l2ps_confirmed", "failed");
        assertThat(a.get("requestId")).as("a push answers no request: %s", Json.write(a)).isEmpty();
        return true;
    }

    private static void assertDocumentedL2ps(JsonValue a, Hostile h) {
        assertThat(L2PS_REPLIES).as("answer %s to %s", Json.write(a), h).contains(Json.type(a));
        if ("error".equals(Json.type(a))) {
            JsonValue.JsonObject p = (JsonValue.JsonObject) a.get("payload").orElseThrow();
            assertThat(p.members().keySet()).as("%s", h).containsExactly("code", "message");
            assertThat(L2PS_CODES).as("answer %s to %s", Json.write(a), h).contains(Json.str(a, "payload.code"));
        }
    }

    private static void assertDocumentedLegacy(JsonValue a, Hostile h) {
        assertThat(LEGACY_REPLIES).as("answer %s to %s", Json.write(a), h).contains(Json.type(a));
        if ("error".equals(Json.type(a))) {
            String code = Json.str(a, "payload.errorType");
            assertThat(LEGACY_CODES).as("answer %s to %s", Json.write(a), h).contains(code);
            if ("INTERNAL_ERROR".equals(code)) {
                assertThat(LEGACY_INTERNAL_TEXTS).as("answer %s to %s", Json.write(a), h)
                        .contains(Json.str(a, "payload.details"));
            }
        }
    }

    private static boolean parses(Hostile h) {
        try {
            Json.parse(h.asText());
            return true;
        } catch (CodecException e) {
            return false;
        }
    }

    private static boolean isAck(Hostile h) {
        try {
            return "ack".equals(Json.type(Json.parse(h.asText())));
        } catch (CodecException | ClassCastException e) {
            return false;
        }
    }

    /** A fuzzed connection per protocol (registered) and two bystanders per protocol who keep talking. */
    private record Bystanders(RawClient l2psFuzz, RawL2ps alice, RawL2ps bob, RawClient legacyFuzz, RawClient carol,
            RawClient dave, String daveId) {
        static Bystanders on(DemosImServer server) {
            RawClient l2psFuzz = RawClient.connect(server.l2psUri());
            Identity fuzzId = Identity.generate();
            l2psFuzz.send(Wire.register(fuzzId, FUZZ_NET, System.currentTimeMillis(), Wire.ALL_FEATURES));
            assertThat(Json.type(l2psFuzz.next())).isEqualTo("registered"); // its own network: no presence pushes
            RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate());
            RawL2ps bob = RawL2ps.connect(server.l2psUri(), Identity.generate());
            alice.register(List.of());
            bob.register(List.of());
            alice.ws.next("peer_joined");
            RawClient legacyFuzz = legacyRegistered(server, "fuzz-" + UUID.randomUUID());
            RawClient carol = legacyRegistered(server, "carol-" + UUID.randomUUID());
            String daveId = "dave-" + UUID.randomUUID();
            RawClient dave = legacyRegistered(server, daveId);
            return new Bystanders(l2psFuzz, alice, bob, legacyFuzz, carol, dave, daveId);
        }

        private static RawClient legacyRegistered(DemosImServer server, String id) {
            RawClient ws = RawClient.connect(server.legacyUri());
            ws.send(Wire.legacyRegister(id, Identity.generate()));
            assertThat(Json.type(ws.next())).isEqualTo("register");
            return ws;
        }

        /** The fuzzed connections are open, and messages still flow between the bystanders of both protocols. */
        void checkAlive() {
            assertThat(l2psFuzz.isClosed()).isFalse();
            assertThat(legacyFuzz.isClosed()).isFalse();
            String hash = Wire.newHash();
            assertThat(Json.type(alice.send(bob.key(), "aGk=", hash))).isEqualTo("message_sent");
            assertThat(Json.str(bob.ws.next("message"), "payload.messageHash")).isEqualTo(hash);
            String marker = UUID.randomUUID().toString();
            carol.send(Wire.legacySend(daveId, Json.obj("marker", marker)));
            assertThat(Json.str(dave.next("message"), "payload.message.marker")).isEqualTo(marker);
        }

        void close() {
            for (AutoCloseable c : List.<AutoCloseable>of(l2psFuzz, alice, bob, legacyFuzz, carol, dave)) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }
}
