package io.github.demosim.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Leases, reaping, presence and takeover between nodes on the test PostgreSQL (.ci/with-postgres). */
@EnabledIfEnvironmentVariable(named = ClusterTestSupport.URL_VARIABLE, matches = "jdbc:postgresql:.+")
class ClusterNodeTests {
    /** Short, so the tests wait little, yet ten heartbeats per expiry: a loaded machine reaps no live node. */
    private static final NodeLease.Timing FAST = new NodeLease.Timing(Duration.ofMillis(300), Duration.ofSeconds(3));
    private static final Duration BOUND = Duration.ofSeconds(60);

    private ClusterDatabase db;
    private final List<ClusterNode> nodes = new ArrayList<>();

    /** What a node heard. */
    static final class Heard implements ClusterNode.Events {
        final List<String> down = new CopyOnWriteArrayList<>();
        final List<String> takenOver = new CopyOnWriteArrayList<>();
        final AtomicInteger ownLeaseLost = new AtomicInteger();
        final AtomicInteger resyncs = new AtomicInteger();

        @Override
        public void nodeDown(String nodeId) {
            down.add(nodeId);
        }

        @Override
        public void takenOver(String protocol, String keyDigest) {
            takenOver.add(protocol + " " + keyDigest);
        }

        @Override
        public void ownLeaseLost() {
            ownLeaseLost.incrementAndGet();
        }

        @Override
        public void resync() {
            resyncs.incrementAndGet();
        }
    }

    @BeforeEach
    void database() {
        db = ClusterTestSupport.freshDatabase(ClusterTestSupport.url());
    }

    @AfterEach
    void leave() {
        nodes.forEach(ClusterNode::close);
    }

    private ClusterNode join(Heard heard) throws Exception {
        ClusterNode node = ClusterNode.join(db, "test node", FAST, heard);
        nodes.add(node);
        ClusterTestSupport.await("the node listens", BOUND, () -> heard.resyncs.get() >= 1);
        return node;
    }

    @Test
    void aKilledNodeIsReapedItsRegistrationsRemovedAndEverySurvivorToldOnce() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        Heard c = new Heard();
        ClusterNode nodeA = join(a);
        join(b);
        ClusterNode nodeC = join(c);
        nodeC.presence().register("l2ps", "carol-key");
        nodeC.presence().register("legacy", "carol-id");
        assertThat(nodeA.presence().nodeOf("l2ps", "carol-key")).contains(nodeC.nodeId());

        nodeC.halt(); // no goodbye: its lease stays until it expires
        ClusterTestSupport.await("A and B told C is down", BOUND,
                () -> a.down.contains(nodeC.nodeId()) && b.down.contains(nodeC.nodeId()));
        assertThat(nodeA.presence().nodeOf("l2ps", "carol-key")).isEmpty();
        assertThat(nodeA.presence().onNode(nodeC.nodeId())).isEmpty();
        Thread.sleep(FAST.expiry().toMillis()); // more heartbeats: still told once
        assertThat(a.down).containsExactly(nodeC.nodeId());
        assertThat(b.down).containsExactly(nodeC.nodeId());
    }

    @Test
    void aNodeThatStopsCleanlyIsGoneAtOnceNotAfterTheExpiry() throws Exception {
        Heard a = new Heard();
        join(a);
        ClusterNode slow = ClusterNode.join(db, "test node", new NodeLease.Timing(Duration.ofHours(1),
                Duration.ofHours(3)), new Heard());
        slow.presence().register("l2ps", "k");
        slow.close(); // its lease would last three hours
        ClusterTestSupport.await("A told", BOUND, () -> a.down.contains(slow.nodeId()));
        assertThat(nodes.get(0).presence().nodeOf("l2ps", "k")).isEmpty();
    }

    @Test
    void ofSurvivorsReapingAtOnceEachDeadNodeIsReapedByExactlyOne() throws Exception {
        NodeLease a = new NodeLease(db, "survivor-a", "a", FAST, () -> { });
        NodeLease b = new NodeLease(db, "survivor-b", "b", FAST, () -> { });
        a.acquire();
        b.acquire();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                List<String> dead = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    NodeLease d = new NodeLease(db, "dead-" + round + "-" + i, "d", FAST, () -> { });
                    d.acquire();
                    d.close();
                    dead.add("dead-" + round + "-" + i);
                }
                ClusterTestSupport.sql(ClusterTestSupport.url(), "UPDATE cluster_nodes SET expires_at = 0 "
                        + "WHERE node_id LIKE 'dead-%'");
                Future<List<String>> byA = pool.submit(a::renewAndReap);
                Future<List<String>> byB = pool.submit(b::renewAndReap);
                List<String> reaped = new ArrayList<>(byA.get());
                reaped.addAll(byB.get());
                Collections.sort(reaped); // SKIP LOCKED: a row one survivor locked, the other passes over
                assertThat(reaped).as("round " + round).containsExactlyElementsOf(dead);
            }
        } finally {
            pool.shutdownNow();
            a.close();
            b.close();
        }
    }

    @Test
    void aNodeWhoseLeaseWasReapedRenewsItAndIsToldToRegisterAgain() throws Exception {
        Heard a = new Heard();
        ClusterNode nodeA = join(a);
        nodeA.presence().register("l2ps", "alice");
        // as survivors do when a node was paused longer than the expiry
        ClusterTestSupport.sql(ClusterTestSupport.url(), "DELETE FROM cluster_nodes WHERE node_id = '"
                + nodeA.nodeId() + "'");
        assertThat(nodeA.presence().nodeOf("l2ps", "alice")).as("its rows went with its lease").isEmpty();
        ClusterTestSupport.await("told its lease was lost", BOUND, () -> a.ownLeaseLost.get() == 1);
        assertThat(nodeA.presence().register("l2ps", "alice")).isEmpty();
        assertThat(nodeA.presence().nodeOf("l2ps", "alice")).contains(nodeA.nodeId());
    }

    @Test
    void aNodeWithoutALeaseCannotRegister() throws Exception {
        ClusterPresence orphan = new ClusterPresence(db, "no-such-node");
        try {
            assertThatThrownBy(() -> orphan.register("l2ps", "k")).hasMessageContaining("holds no lease");
        } finally {
            orphan.close();
        }
    }

    @Test
    void theSameKeyRegisteringOnAnotherNodeTakesItOverAndTheOldNodeIsTold() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        ClusterNode nodeA = join(a);
        ClusterNode nodeB = join(b);
        String key = "bob-" + "k".repeat(ClusterPresence.MAX_KEY_CHARS - 4); // the longest a cluster registers
        assertThatThrownBy(() -> nodeA.presence().register("l2ps", key + "k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1024 characters");
        assertThat(nodeA.presence().register("l2ps", key)).isEmpty();
        assertThat(nodeA.presence().register("l2ps", key)).as("again on the same node: no takeover").isEmpty();
        assertThat(nodeB.presence().register("legacy", key)).as("another protocol, another row").isEmpty();

        assertThat(nodeB.presence().register("l2ps", key)).isEqualTo(Optional.of(nodeA.nodeId()));
        ClusterTestSupport.await("A told", BOUND, () -> !a.takenOver.isEmpty());
        assertThat(a.takenOver).containsExactly("l2ps " + ClusterPresence.digest(key));
        assertThat(b.takenOver).isEmpty();
        assertThat(nodeA.presence().nodeOf("l2ps", key)).contains(nodeB.nodeId());
        assertThat(nodeA.presence().unregister("l2ps", key)).as("A's late goodbye leaves B's row").isFalse();
        assertThat(nodeB.presence().nodeOf("l2ps", key)).contains(nodeB.nodeId());
        assertThat(nodeB.presence().unregister("l2ps", key)).isTrue();
        assertThat(nodeB.presence().nodeOf("l2ps", key)).isEmpty();
        assertThatThrownBy(() -> nodeA.presence().register("L2PS; DROP", "k"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLeaseTimingRefusesAnExpiryOfFewerThanThreeHeartbeats() {
        assertThatThrownBy(() -> new NodeLease.Timing(Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least three heartbeats");
    }
}
