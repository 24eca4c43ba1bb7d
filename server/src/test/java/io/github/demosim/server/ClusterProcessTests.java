package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerProcess;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two real server processes on one PostgreSQL database (docs/cluster.md): the pipeline leader is killed
 * (SIGKILL) mid-traffic; the survivor reaps its lease and takes the pipeline over, and every message is batched
 * once and confirmed once. A proof used on one node is refused on the other.
 */
@EnabledIfEnvironmentVariable(named = ServerTestBase.POSTGRES_URL, matches = "jdbc:postgresql:.+")
class ClusterProcessTests {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private final String url = System.getenv(ServerTestBase.POSTGRES_URL);

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theSurvivorReapsAKilledLeaderAndRunsThePipelineEveryMessageConfirmedOnce() throws Exception {
        ServerTestBase.dropTables(url);
        Duration interval = Duration.ofMillis(100);
        Duration finality = Duration.ofMillis(300);
        ServerProcess.Started a = ServerProcess.start(url, interval, finality);
        ServerProcess.Started b = null;
        try {
            // A alone takes the pipeline's lock; B starts after, so A is the leader to kill.
            await("A leads the pipeline", () -> count("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity s "
                    + "ON s.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    + "AND s.application_name = 'demos-im cluster leader of L2PS pipeline'") == 1);
            b = ServerProcess.start(url, interval, finality);
            assertThat(count("SELECT COUNT(*) FROM cluster_nodes")).isEqualTo(2);

            String bob = Ed25519Key.random().publicKeyHex();
            int sent = 0;
            try (L2psPeer alice = L2psPeer.connect(a.l2psUri())) {
                alice.register();
                for (; sent < 40; sent++) {
                    assertThat(Wire.type(alice.send(bob, "bXNn" + sent))).isEqualTo("message_queued");
                }
                a.kill(); // mid-traffic: some batched, some confirmed, some pending
            }
            long killedAt = System.nanoTime();
            try (L2psPeer alice = L2psPeer.connect(b.l2psUri())) {
                alice.register();
                for (; sent < 80; sent++) {
                    assertThat(Wire.type(alice.send(bob, "bXNn" + sent))).isEqualTo("message_queued");
                }
            }
            await("A's lease reaped by B", () -> count("SELECT COUNT(*) FROM cluster_nodes") == 1);
            long reapedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            await("every message confirmed", () -> count("SELECT COUNT(*) FROM l2ps_messages "
                    + "WHERE pipeline = 'l2ps_confirmed'") == 80);
            System.out.println("ClusterProcessTests: A's lease reaped " + reapedAfterMs + " ms after its SIGKILL "
                    + "(heartbeat 2 s, expiry 10 s)");

            Map<String, Integer> batchesPerTx = new HashMap<>();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT tx_hashes, status FROM l2ps_batches")) {
                while (r.next()) {
                    assertThat(r.getString(2)).isEqualTo("l2ps_confirmed");
                    for (String tx : r.getString(1).split(",")) {
                        batchesPerTx.merge(tx, 1, Integer::sum);
                    }
                }
            }
            assertThat(batchesPerTx).hasSize(80);
            assertThat(batchesPerTx.values()).as("no transaction in two batches").containsOnly(1);
            assertThat(count("SELECT COUNT(*) FROM l2ps_messages WHERE batch_hash IS NULL")).isZero();
        } finally {
            a.kill();
            if (b != null) {
                b.kill();
            }
        }
    }

    // l2ps.md hardened replay guard: the used proofs are a table, so a proof accepted on A is refused on B
    @Test
    void aRegistrationProofAcceptedOnOneNodeIsRefusedOnAnother() throws Exception {
        ServerTestBase.dropTables(url);
        ServerProcess.Started a = ServerProcess.start(url);
        ServerProcess.Started b = null;
        try {
            b = ServerProcess.start(url);
            io.github.demosim.frame.JsonValue.JsonObject frame;
            try (L2psPeer p = L2psPeer.connect(a.l2psUri(), Ed25519Key.random())) {
                frame = p.registerFrame(L2psPeer.UID, System.currentTimeMillis());
                p.ws.send(frame);
                assertThat(Wire.type(p.ws.next())).isEqualTo("registered");
            }
            try (WsClient replay = WsClient.connect(b.l2psUri())) {
                replay.send(frame);
                L2psConformanceTests.assertError(replay.next(), "INVALID_PROOF", "Proof already used");
            }
        } finally {
            a.kill();
            if (b != null) {
                b.kill();
            }
        }
    }
}
