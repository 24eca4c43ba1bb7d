package io.github.demosim.server.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.JdbcMessageStore;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.PipelineState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: one pipeline round keeps up with the server's message rate. Until then a round formed at most 100
 * batches per network (1,000 messages with the default batch size, per 10-s round: 100 a second), so a sustained
 * higher rate grew the pending backlog for ever; and it committed once per batch.
 */
class PipelineBacklogTests {
    private static final String UID = "backlog_net";
    private final JdbcMessageStore store = JdbcMessageStore.open(
            "jdbc:h2:mem:backlog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null, 2);
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<L2psMessageRow> reported = new ArrayList<>();
    private final List<SubmissionPolicy.Batch> submitted = new ArrayList<>();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void oneRoundBatchesAndLaterConfirmsTheWholeBacklogInOrder() {
        int messages = 2_345; // more than the old bound, not a multiple of the batch size
        for (int i = 0; i < messages; i++) {
            store.insert(new L2psMessageRow(UUID.randomUUID().toString(), "a".repeat(64), "b".repeat(64), UID,
                    "h" + i, "{}", "t".repeat(60) + String.format("%04d", i), i, DeliveryState.DELIVERED, false,
                    PipelineState.PENDING, null, null));
        }
        L2psPipeline pipeline = pipeline(batch -> batch.txHashes().contains("t".repeat(60) + "0015")
                ? Optional.of("refused for the test") : Optional.empty());
        assertThat(pipeline.tick()).isTrue();
        assertThat(store.networksWithPendingTransactions()).as("nothing left pending").isEmpty();
        assertThat(submitted).hasSize(235); // 234 of 10, then the 5 left
        assertThat(submitted.get(234).txHashes()).hasSize(5);
        assertThat(reported).hasSize(messages);
        // oldest first, batches of 10 in order: the tx hashes of batch k are those of messages 10k..10k+9
        assertThat(submitted.get(3).txHashes()).first().isEqualTo("t".repeat(60) + "0030");
        assertThat(reported).filteredOn(r -> r.pipeline() == PipelineState.FAILED).hasSize(10) // the refused batch
                .allSatisfy(r -> assertThat(r.failureReason()).isEqualTo("refused for the test"));
        assertThat(reported).filteredOn(r -> r.pipeline() == PipelineState.BATCHED).hasSize(messages - 10);

        reported.clear();
        now.addAndGet(Duration.ofSeconds(11).toMillis()); // past the finality delay
        assertThat(pipeline.tick()).isTrue();
        assertThat(reported).hasSize(messages - 10)
                .allSatisfy(r -> assertThat(r.pipeline()).isEqualTo(PipelineState.CONFIRMED));
        assertThat(store.batchesSubmittedBefore(Long.MAX_VALUE, 10)).isEmpty();
        pipeline.close();
    }

    private L2psPipeline pipeline(java.util.function.Function<SubmissionPolicy.Batch, Optional<String>> batches) {
        SubmissionPolicy policy = new SubmissionPolicy() {
            @Override
            public Optional<String> submitBatch(Batch batch) {
                submitted.add(batch);
                return batches.apply(batch);
            }
        };
        return new L2psPipeline(store, new L2psHashes(PipelineBacklogTests::sha256), policy, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(10), now::get, reported::addAll, Leadership.ALONE);
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
