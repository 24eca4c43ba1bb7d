package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The simulated L2PS pipeline (l2ps.md §7.3–7.4, docs/server.md): transaction and batch hashes recomputed here
 * independently from their documented definitions, statuses moving pending → batched → confirmed, pushes for
 * senders that asked, submission failures, and the separation of delivery from pipeline state.
 */
class L2psPipelineTests extends ServerTestBase {
    private final String dbUrl = "jdbc:h2:mem:pipeline-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final Set<String> doomedTxHashes = ConcurrentHashMap.newKeySet();

    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }

    @Override
    protected void configure(DemosImServer.Builder builder) {
        builder.databaseUrl(dbUrl).batchInterval(Duration.ofMillis(50)).finalityDelay(Duration.ofMillis(300))
                .batchSize(3).rateLimit(100_000, 100_000).submissionPolicy(new SubmissionPolicy() {
                    @Override
                    public Optional<String> admitTransaction(Transaction tx) {
                        if (tx.messageHash().startsWith("badbatch-")) {
                            doomedTxHashes.add(tx.l2psTxHash());
                        }
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> submitBatch(Batch batch) {
                        return batch.txHashes().stream().anyMatch(doomedTxHashes::contains)
                                ? Optional.of("Invalid last block number: 0") : Optional.empty();
                    }
                });
    }

    static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Polls history (hang-guarded) until the message has the status; returns the stored message. */
    static JsonValue awaitStatus(L2psPeer requester, String peer, String hash, String status) {
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        while (true) {
            for (JsonValue m : Wire.array(requester.history(peer, "limit", 200), "payload.messages")) {
                if (hash.equals(Wire.str(m, "messageHash")) && status.equals(Wire.str(m, "status"))) {
                    return m;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(hash + " never reached " + status);
            }
            L2psHardenedTests.sleep(20);
        }
    }

    @Test
    void transactionHashIsTheDocumentedCanonicalForm() throws Exception {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        String hash = "h-" + L2psPeer.newHash();
        a.ws.send("{\"type\":\"send\",\"payload\":{\"to\":\"" + b.pk() + "\",\"encrypted\":{\"nonce\":\"bm9uY2U=\","
                + "\"ciphertext\":\"Y3Q=\",\"n\":1.50,\"u\":\"é\\u0001\"},\"messageHash\":\"" + hash + "\"},\"timestamp\":1}");
        a.ws.next("message_sent");
        JsonValue stored = Wire.array(a.history(b.pk()), "payload.messages").get(0);
        long ts = Wire.num(stored, "timestamp");
        String expectedText = "{\"type\":\"instantMessaging\",\"l2psUid\":\"" + uid + "\",\"from\":\"" + a.pk()
                + "\",\"to\":\"" + b.pk() + "\",\"amount\":0,\"nonce\":" + ts + ",\"timestamp\":" + ts
                + ",\"data\":[\"instantMessaging\",{\"messageId\":\"" + Wire.str(stored, "id") + "\",\"messageHash\":\""
                + hash + "\",\"encrypted\":{\"nonce\":\"bm9uY2U=\",\"ciphertext\":\"Y3Q=\",\"n\":1.5,\"u\":\"é\\u0001\"},"
                + "\"timestamp\":" + ts + "}]}";
        assertThat(Wire.str(stored, "l2psTxHash")).isEqualTo(sha256Hex(expectedText));
    }

    @Test
    void statusesMoveThroughBatchesToConfirmationWithPushes() throws Exception {
        String uid = freshUid();
        L2psPeer a = peer();
        a.register(uid, "features", List.of("message_status"));
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String h = L2psPeer.newHash();
            hashes.add(h);
            a.ws.send(L2psPeer.sendFrame(b.pk(), "Y3Q=", h)); // read nothing yet: pushes interleave with acks
        }
        // Every message is acknowledged, then pushed as batched, then as confirmed, with its transaction hash.
        List<String> sent = new ArrayList<>();
        List<String> batched = new ArrayList<>();
        List<String> confirmed = new ArrayList<>();
        while (sent.size() < 7 || batched.size() < 7 || confirmed.size() < 7) {
            JsonValue s = a.ws.next();
            if ("message_sent".equals(Wire.type(s))) {
                sent.add(Wire.str(s, "payload.messageHash"));
                continue;
            }
            assertThat(Wire.type(s)).isEqualTo("message_status");
            assertThat(((JsonValue.JsonObject) Wire.payload(s)).members().keySet())
                    .containsExactly("messageHash", "status", "l2psTxHash");
            assertThat(Wire.str(s, "payload.l2psTxHash")).matches("[0-9a-f]{64}");
            String h = Wire.str(s, "payload.messageHash");
            assertThat(sent).contains(h);
            if ("l2ps_batched".equals(Wire.str(s, "payload.status"))) {
                assertThat(confirmed).doesNotContain(h);
                batched.add(h);
            } else {
                assertThat(Wire.str(s, "payload.status")).isEqualTo("l2ps_confirmed");
                assertThat(batched).contains(h);
                confirmed.add(h);
            }
        }
        assertThat(sent).containsExactlyElementsOf(hashes);
        assertThat(batched).containsExactlyInAnyOrderElementsOf(hashes);
        List<JsonValue> history = Wire.array(a.history(b.pk()), "payload.messages");
        assertThat(history).extracting(m -> Wire.str(m, "status")).containsOnly("l2ps_confirmed");
        // The batches in the database: at most 3 transactions each, hashed as the node hashes them.
        List<String> txHashes = history.stream().map(m -> Wire.str(m, "l2psTxHash")).toList();
        int batches = 0;
        try (Connection c = DriverManager.getConnection(dbUrl);
                PreparedStatement p = c.prepareStatement("SELECT batch_hash, tx_count, tx_hashes, status "
                        + "FROM l2ps_batches WHERE l2ps_uid = ?")) {
            p.setString(1, uid);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    batches++;
                    List<String> members = Arrays.asList(r.getString(3).split(","));
                    assertThat(members).hasSizeBetween(1, 3).hasSize(r.getInt(2)).isSubsetOf(txHashes);
                    List<String> sorted = new ArrayList<>(members);
                    sorted.sort(null);
                    assertThat(r.getString(1)).isEqualTo(
                            sha256Hex("L2PS_BATCH_" + uid + ":" + sorted.size() + ":" + String.join(",", sorted)));
                    assertThat(r.getString(4)).isEqualTo("l2ps_confirmed");
                }
            }
        }
        assertThat(batches).isGreaterThanOrEqualTo(3); // 7 transactions in batches of at most 3
        // Senders that did not ask get no pushes.
        b.send(a.pk(), "Y3Q=");
        awaitStatus(b, a.pk(), Wire.str(a.ws.await("message"), "payload.messageHash"), "l2ps_confirmed");
        assertThat(b.sync()).isEmpty();
    }

    @Test
    void aQueuedMessageStaysQueuedWhileThePipelineMoves() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        Ed25519Key bKey = Ed25519Key.random();
        String hash = Wire.str(a.send(bKey.publicKeyHex(), "Y3Q="), "payload.messageHash");
        // Confirmed in the pipeline, yet still waiting for its recipient: the wire reports the delivery state.
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        while (!pipelineState(hash).equals("l2ps_confirmed")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            L2psHardenedTests.sleep(20);
        }
        assertThat(Wire.str(Wire.array(a.history(bKey.publicKeyHex()), "payload.messages").get(0), "status"))
                .isEqualTo("queued");
        L2psPeer b = peer(bKey);
        b.register(uid);
        assertThat(Wire.str(b.ws.next("message"), "payload.messageHash")).isEqualTo(hash);
        awaitStatus(a, bKey.publicKeyHex(), hash, "l2ps_confirmed"); // delivered: now the pipeline state shows
    }

    private String pipelineState(String hash) {
        try (Connection c = DriverManager.getConnection(dbUrl);
                PreparedStatement p = c.prepareStatement("SELECT pipeline FROM l2ps_messages WHERE message_hash = ?")) {
            p.setString(1, hash);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : "";
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRefusedBatchFailsItsMessagesButNotTheirDelivery() {
        String uid = freshUid();
        L2psPeer a = peer();
        a.register(uid, "features", List.of("message_status"));
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        String hash = "badbatch-" + L2psPeer.newHash();
        assertThat(Wire.type(a.send(b.pk(), "Y3Q=", hash))).isEqualTo("message_sent");
        assertThat(Wire.str(b.ws.await("message"), "payload.messageHash")).isEqualTo(hash);
        JsonValue status = a.ws.awaitFrame(f -> "message_status".equals(Wire.type(f))
                && hash.equals(Wire.str(f, "payload.messageHash")));
        assertThat(Wire.str(status, "payload.status")).isEqualTo("failed");
        JsonValue stored = awaitStatus(a, b.pk(), hash, "failed");
        assertThat(Wire.str(stored, "l2psTxHash")).matches("[0-9a-f]{64}");
    }

    @Test
    void runPipelineOnceDrivesARoundByHand() {
        String uid = freshUid();
        L2psPeer a = registered(uid);
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        String hash = Wire.str(a.send(b.pk(), "Y3Q="), "payload.messageHash");
        server.runPipelineOnce();
        assertThat(pipelineState(hash)).isIn("l2ps_batched", "l2ps_confirmed");
    }

    @Test
    void referenceModeReportsNoPipelineToClientsThatAsk() {
        try (DemosImServer ref = DemosImServer.newBuilder().mode(ServerMode.REFERENCE).l2psPort(0).disableLegacy()
                .inMemoryDatabase().batchInterval(Duration.ofMillis(20)).finalityDelay(Duration.ZERO).start();
                L2psPeer a = L2psPeer.connect(ref.l2psUri());
                L2psPeer b = L2psPeer.connect(ref.l2psUri())) {
            a.register(L2psPeer.UID, "features", List.of("message_status"));
            b.register();
            a.ws.await("peer_joined");
            String hash = Wire.str(a.send(b.pk(), "Y3Q="), "payload.messageHash");
            awaitStatus(a, b.pk(), hash, "l2ps_confirmed"); // the pipeline runs...
            assertThat(a.sync()).noneMatch(f -> "message_status".equals(Wire.type(f))); // ...silently
        }
    }
}
