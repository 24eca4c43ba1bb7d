package io.github.demosim.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The protocols' glue between nodes: presence cache, takeover, node down, row routes (docs/cluster.md). */
@EnabledIfEnvironmentVariable(named = ClusterTestSupport.URL_VARIABLE, matches = "jdbc:postgresql:.+")
class NodeRoutingTests {
    private static final Duration HEARTBEAT = Duration.ofMillis(300);
    private static final Duration EXPIRY = Duration.ofSeconds(3);
    private static final Duration BOUND = Duration.ofSeconds(60);

    private ClusterDatabase db;
    private final List<NodeRouting> nodes = new ArrayList<>();

    /** What a protocol heard. */
    static final class Heard implements ClusterRouting.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<ClusterRouting.Route> rows = new CopyOnWriteArrayList<>();
        final AtomicInteger resyncs = new AtomicInteger();

        @Override
        public void rows(String purpose, List<ClusterRouting.Route> routes) {
            routes.forEach(r -> events.add(purpose + " " + r.rowId() + " " + r.key()));
            rows.addAll(routes);
        }

        @Override
        public void joined(ClusterRouting.Peer peer) {
            events.add("joined " + peer.key() + " " + peer.scope() + " " + peer.features());
        }

        @Override
        public void left(ClusterRouting.Peer peer, boolean nodeDown) {
            events.add((nodeDown ? "down " : "left ") + peer.key());
        }

        @Override
        public void takenOver(String key) {
            events.add("takenOver " + key);
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
        nodes.forEach(NodeRouting::close);
    }

    private NodeRouting join(Heard heard) throws Exception {
        NodeRouting node = NodeRouting.join(db, "test node", HEARTBEAT, EXPIRY);
        node.listen("l2ps", heard);
        nodes.add(node);
        ClusterTestSupport.await("the node listens and read the tables", BOUND, () -> heard.resyncs.get() >= 1);
        return node;
    }

    @Test
    void aRegistrationIsSeenElsewhereWithItsKeyScopeAndFeaturesAndItsLeavingToo() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        NodeRouting nodeA = join(a);
        NodeRouting nodeB = join(b);
        nodeA.register("l2ps", "aa11", "net1", Set.of("ack"));
        ClusterTestSupport.await("B hears A's peer", BOUND, () -> b.events.contains("joined aa11 net1 [ack]"));
        assertThat(nodeB.remote("l2ps", "aa11")).get().extracting(ClusterRouting.Peer::node)
                .isEqualTo(nodeA.nodeId());
        assertThat(nodeB.remotePeers("l2ps", "net1")).extracting(ClusterRouting.Peer::key).containsExactly("aa11");
        assertThat(nodeB.remotePeers("l2ps", "net2")).isEmpty();
        assertThat(nodeA.remote("l2ps", "aa11")).as("a node's own peers are not remote").isEmpty();
        assertThat(a.events).as("a node hears nothing of its own registrations").isEmpty();

        nodeA.unregister("l2ps", "aa11");
        ClusterTestSupport.await("B hears it left", BOUND, () -> b.events.contains("left aa11"));
        assertThat(nodeB.remote("l2ps", "aa11")).isEmpty();
    }

    @Test
    void aNodeThatJoinsLaterReadsWhoIsWhereFromTheTable() throws Exception {
        Heard a = new Heard();
        NodeRouting nodeA = join(a);
        nodeA.register("l2ps", "bb22", "net1", Set.of());
        nodeA.register("legacy", "carol", "", Set.of());
        NodeRouting nodeB = join(new Heard());
        assertThat(nodeB.remotePeers("l2ps", "net1")).extracting(ClusterRouting.Peer::key).containsExactly("bb22");
        assertThat(nodeB.remotePeers("legacy", "")).extracting(ClusterRouting.Peer::key).containsExactly("carol");
    }

    @Test
    void takeoverTellsTheOldNodeAndTheOthersSeeTheKeyMove() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        Heard c = new Heard();
        NodeRouting nodeA = join(a);
        NodeRouting nodeB = join(b);
        NodeRouting nodeC = join(c);
        nodeA.register("l2ps", "cc33", "net1", Set.of());
        ClusterTestSupport.await("C sees it on A", BOUND, () -> nodeC.remote("l2ps", "cc33").isPresent());
        assertThat(nodeB.register("l2ps", "cc33", "net1", Set.of("ack"))).contains(nodeA.nodeId());
        ClusterTestSupport.await("A is told", BOUND, () -> a.events.contains("takenOver cc33"));
        ClusterTestSupport.await("C sees it on B", BOUND, () -> nodeC.remote("l2ps", "cc33")
                .map(p -> p.node().equals(nodeB.nodeId())).orElse(false));
        nodeA.unregister("l2ps", "cc33"); // A's late close: the row is B's
        assertThat(nodeA.node().presence().nodeOf("l2ps", "cc33")).contains(nodeB.nodeId());
        Thread.sleep(500);
        assertThat(c.events).doesNotContain("left cc33");
    }

    @Test
    void aKilledNodesPeersAreReportedGoneWhenItsLeaseIsReaped() throws Exception {
        Heard a = new Heard();
        NodeRouting nodeA = join(a);
        NodeRouting nodeC = join(new Heard());
        nodeC.register("l2ps", "dd44", "net1", Set.of());
        nodeC.register("l2ps", "ee55", "net1", Set.of());
        ClusterTestSupport.await("A sees C's peers", BOUND, () -> nodeA.remotePeers("l2ps", "net1").size() == 2);
        nodes.remove(nodeC);
        nodeC.halt();
        ClusterTestSupport.await("A reports them gone", BOUND,
                () -> a.events.containsAll(List.of("down dd44", "down ee55")));
        assertThat(nodeA.remotePeers("l2ps", "net1")).isEmpty();
    }

    @Test
    void rowsReachTheNodeOfTheirRecipientAddressedOrAnyAndAMovedRecipientIsFound() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        Heard c = new Heard();
        NodeRouting nodeA = join(a);
        NodeRouting nodeB = join(b);
        NodeRouting nodeC = join(c);
        nodeB.register("l2ps", "ff66", "net1", Set.of());
        nodeC.register("l2ps", "0077", "net1", Set.of());
        List<ClusterRouting.Route> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // several notices' worth, in order
            many.add(new ClusterRouting.Route("row-" + i, "ff66"));
        }
        nodeA.route(nodeB.nodeId(), "l2ps", "deliver", many);
        nodeA.route(ClusterRouting.ANY, "l2ps", "deliver", List.of(new ClusterRouting.Route("row-x", "0077")));
        ClusterTestSupport.await("B gets its 500 rows", BOUND, () -> b.rows.size() == 500);
        ClusterTestSupport.await("C gets the row sent to any", BOUND, () -> c.rows.size() == 1);
        assertThat(b.rows).containsExactlyElementsOf(many);
        assertThat(c.rows).containsExactly(new ClusterRouting.Route("row-x", "0077"));

        // a stale address: the recipient is on C now; B passes the row on to whichever node has it
        nodeA.route(nodeB.nodeId(), "l2ps", "status", List.of(new ClusterRouting.Route("row-y", "0077")));
        ClusterTestSupport.await("C gets the row B passed on", BOUND, () -> c.rows.size() == 2);
        assertThat(c.events).contains("status row-y 0077");
        Thread.sleep(300);
        assertThat(a.rows).isEmpty();
        assertThat(b.rows).hasSize(500);
    }
}
