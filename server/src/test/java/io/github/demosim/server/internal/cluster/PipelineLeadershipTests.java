package io.github.demosim.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.pipeline.L2psPipeline;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.JdbcMessageStore;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.PipelineState;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two L2PS pipelines on one database, as two server processes have: one leads, batches are built once, and when
 * the leader's session dies the other takes over (.ci/with-postgres).
 */
@EnabledIfEnvironmentVariable(named = ClusterTestSupport.URL_VARIABLE, matches = "jdbc:postgresql:.+")
class PipelineLeadershipTests {
    private static final long LOCK = 0x7465737401L; // not the server's key: a server in this JVM cannot interfere
    private static final String UID = "net_cluster";

    private final List<AutoCloseable> open = new ArrayList<>();
    private ClusterDatabase db;
    private JdbcMessageStore writer;

    @BeforeEach
    void database() {
        db = ClusterTestSupport.freshDatabase(ClusterTestSupport.url());
        writer = JdbcMessageStore.open(ClusterTestSupport.url(), null, null, 2);
        open.add(writer);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** One "server": its own store, its own pipeline, its own lock session. */
    private record Node(L2psPipeline pipeline, AdvisoryLockLeadership leadership, AtomicInteger batched) {
    }

    /** Confirmations per message id, over every node: each must be confirmed exactly once. */
    private final Map<String, Integer> confirmations = new java.util.concurrent.ConcurrentHashMap<>();

    private Node node(boolean scheduled) {
        JdbcMessageStore store = JdbcMessageStore.open(ClusterTestSupport.url(), null, null, 2);
        AdvisoryLockLeadership leadership = new AdvisoryLockLeadership(db, LOCK, "test pipeline");
        AtomicInteger batched = new AtomicInteger();
        L2psHashes hashes = new L2psHashes(b -> {
            try {
                return MessageDigest.getInstance("SHA-256").digest(b);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        L2psPipeline pipeline = new L2psPipeline(store, hashes, SubmissionPolicy.acceptAll(), 7,
                Duration.ofMillis(20), scheduled ? Duration.ofMillis(100) : Duration.ofDays(1),
                System::currentTimeMillis, rows -> rows.forEach(r -> {
                    if (r.pipeline() == PipelineState.BATCHED) {
                        batched.incrementAndGet();
                    } else if (r.pipeline() == PipelineState.CONFIRMED) {
                        confirmations.merge(r.id(), 1, Integer::sum);
                    }
                }), leadership);
        open.add(store);
        open.add(pipeline); // closes the leadership
        if (scheduled) {
            pipeline.start();
        }
        return new Node(pipeline, leadership, batched);
    }

    private List<String> admit(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            writer.insert(new L2psMessageRow(id, "a".repeat(64), "b".repeat(64), UID, "h-" + id, "{\"c\":\"x\"}", null,
                    System.currentTimeMillis(), DeliveryState.QUEUED, true, PipelineState.PENDING, null, null));
            writer.markAdmitted(id, tx(id));
            ids.add(id);
        }
        return ids;
    }

    /** A transaction hash of the real form (64 hex digits) for a message id. */
    private static String tx(String id) {
        return (id.replace("-", "") + "0".repeat(64)).substring(0, 64);
    }

    /** Every admitted message's batch, from the batch rows' own lists: a message in two batches would show. */
    private static Map<String, Integer> batchesPerTransaction() throws Exception {
        Map<String, Integer> count = new HashMap<>();
        try (Connection c = DriverManager.getConnection(ClusterTestSupport.url()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT tx_hashes FROM l2ps_batches")) {
            while (r.next()) {
                for (String tx : r.getString(1).split(",")) {
                    count.merge(tx, 1, Integer::sum);
                }
            }
        }
        return count;
    }

    private static int pending() throws Exception {
        try (Connection c = DriverManager.getConnection(ClusterTestSupport.url()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM l2ps_messages WHERE pipeline <> 'l2ps_confirmed'")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void oneOfTwoPipelinesLeadsAndTheOtherTakesOverWhenTheLeadersSessionDies() throws Exception {
        Node first = node(false);
        Node second = node(false);
        assertThat(first.pipeline().tick()).as("the first to ask leads").isTrue();
        assertThat(second.pipeline().tick()).as("the other one waits").isFalse();

        List<String> ids = admit(20);
        assertThat(second.pipeline().tick()).isFalse();
        assertThat(first.pipeline().tick()).isTrue();
        assertThat(first.batched().get()).isEqualTo(20);
        assertThat(second.batched().get()).isZero();

        // The leader dies as a killed process does, seen from the database: its session ends.
        ClusterTestSupport.sql(ClusterTestSupport.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'demos-im cluster leader of test pipeline' AND pid <> pg_backend_pid() "
                + "AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)");
        ids.addAll(admit(15));
        assertThat(second.pipeline().tick()).as("the lock is free: the other one leads").isTrue();
        assertThat(first.pipeline().tick()).as("the old leader finds its session gone and stops").isFalse();
        assertThat(second.batched().get()).isEqualTo(15);

        Map<String, Integer> batches = batchesPerTransaction();
        assertThat(batches).hasSize(35);
        assertThat(batches.values()).containsOnly(1);
        for (String id : ids) {
            assertThat(batches).containsKey(tx(id));
        }
    }

    @Test
    void twoScheduledPipelinesBatchAndConfirmEveryMessageExactlyOnceWhileTheLeaderIsKilled() throws Exception {
        Node first = node(true);
        Node second = node(true);
        ClusterTestSupport.await("a leader", Duration.ofSeconds(60),
                () -> first.leadership().leading() || second.leadership().leading());
        Node leader = first.leadership().leading() ? first : second;
        Node other = leader == first ? second : first;
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            ids.addAll(admit(23));
            Thread.sleep(30);
            if (round == 9) {
                // mid-traffic, with messages pending, batched and not yet confirmed: the leader stops, its lock
                // session ends
                leader.pipeline().close();
            }
        }
        ClusterTestSupport.await("every message batched and confirmed", Duration.ofSeconds(120), () -> {
            try {
                return pending() == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(other.leadership().leading()).isTrue();
        assertThat(other.batched().get()).as("the messages after the kill, batched by the new leader").isPositive();
        assertThat(first.batched().get() + second.batched().get()).isEqualTo(ids.size());
        Map<String, Integer> batches = batchesPerTransaction();
        assertThat(batches).hasSize(ids.size());
        assertThat(batches.values()).as("no transaction in two batches").containsOnly(1);
        assertThat(confirmations).hasSize(ids.size());
        assertThat(confirmations.values()).as("no message confirmed twice").containsOnly(1);
    }
}
