package io.github.demosim.server.support;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One server per test class (ephemeral ports, in-memory H2); each test takes a network of its own so tests
 * do not see each other's presence, and every client a test opens is closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTestBase {
    /** Networks the server hosts besides the default one. */
    protected static final int NETWORKS = 200;

    protected DemosImServer server;
    /** The server's database (unless {@link #configure} names another), for tests that check what it stored. */
    protected String databaseUrl;
    private final AtomicInteger nextNetwork = new AtomicInteger();
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** The mode under test. */
    protected abstract ServerMode mode();

    /** Extra settings of this class's server. */
    protected void configure(DemosImServer.Builder builder) {
    }

    protected boolean hardened() {
        return mode() == ServerMode.HARDENED;
    }

    @BeforeAll
    void startServer() {
        List<String> uids = new ArrayList<>(List.of(L2psPeer.UID));
        IntStream.range(0, NETWORKS).forEach(i -> uids.add("net_" + i));
        DemosImServer.Builder b = DemosImServer.newBuilder().mode(mode()).l2psPort(0).legacyPort(0)
                .l2psUids(uids)
                // The pipeline stays out of the way unless a test drives it (history shows delivery states).
                .batchInterval(Duration.ofHours(1));
        String postgres = System.getenv(POSTGRES_URL);
        if (postgres != null && postgres.startsWith("jdbc:postgresql:")) {
            // The whole suite on PostgreSQL: each class starts from empty tables.
            dropTables(postgres);
            databaseUrl = postgres;
        } else {
            databaseUrl = "jdbc:h2:mem:server-tests-" + java.util.UUID.randomUUID(); // as inMemoryDatabase(), named
        }
        b.databaseUrl(databaseUrl);
        configure(b);
        server = b.start();
    }

    /** Names a PostgreSQL database the tests may empty; when set, the server tests run on it instead of H2. */
    public static final String POSTGRES_URL = "DEMOS_IM_TEST_POSTGRES_URL";

    /** Drops the server's tables. */
    public static void dropTables(String url) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement st = c.createStatement()) {
            for (String t : List.of("cluster_presence", "cluster_nodes", "l2ps_messages", "l2ps_message_bodies", "l2ps_batches", "legacy_offline_messages",
                    "legacy_offline_bodies", "used_proofs", "kem_keys", "legacy_id_bindings", "legacy_peer_keys",
                    "demos_im_schema_version")) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reset the test database: " + e.getMessage(), e);
        }
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        synchronized (opened) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already gone
                }
            }
            opened.clear();
        }
    }

    /** The number a {@code SELECT COUNT(*) …} query with string parameters returns from the server's database. */
    protected long count(String sql, String... parameters) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(databaseUrl);
                java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setString(i + 1, parameters[i]);
            }
            try (java.sql.ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot read the server's database: " + e.getMessage(), e);
        }
    }

    /** A network no other test uses. */
    protected String freshUid() {
        return "net_" + nextNetwork.getAndIncrement();
    }

    /** A connected L2PS peer with a random key, closed after the test. */
    protected L2psPeer peer() {
        return track(L2psPeer.connect(server.l2psUri()));
    }

    /** A connected L2PS peer with a given key, closed after the test. */
    protected L2psPeer peer(Ed25519Key key) {
        return track(L2psPeer.connect(server.l2psUri(), key));
    }

    /** A peer registered in a network. */
    protected L2psPeer registered(String uid) {
        L2psPeer p = peer();
        p.register(uid);
        return p;
    }

    /** A raw L2PS connection. */
    protected WsClient l2ps() {
        return track(WsClient.connect(server.l2psUri()));
    }

    /** A raw legacy connection. */
    protected WsClient legacy() {
        return track(WsClient.connect(server.legacyUri()));
    }

    protected <T extends AutoCloseable> T track(T c) {
        synchronized (opened) {
            opened.add(c);
        }
        return c;
    }

    /** The error payload of a frame that must be an error. */
    protected static JsonValue errorPayload(JsonValue frame) {
        if (!"error".equals(Wire.type(frame))) {
            throw new AssertionError("expected an error frame, got " + Wire.text(frame));
        }
        return Wire.payload(frame);
    }
}
