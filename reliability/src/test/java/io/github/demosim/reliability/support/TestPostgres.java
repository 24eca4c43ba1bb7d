package io.github.demosim.reliability.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL for the cluster tests, as {@code .ci/with-postgres} provides it: either a fresh database on the
 * build's server ({@link #freshDatabase()}, from {@value #URL_VARIABLE}), or a PostgreSQL server of the test's own
 * ({@link #TestPostgres()}: {@code initdb} and {@code pg_ctl} from {@value #BIN_VARIABLE}, loopback, an ephemeral
 * port, as the postgres user when the tests run as root), which the test may stop and start under its servers
 * without disturbing anyone else's.
 */
public final class TestPostgres implements AutoCloseable {
    /** The build's PostgreSQL, a JDBC URL with the user in it. */
    public static final String URL_VARIABLE = "DEMOS_IM_TEST_POSTGRES_URL";
    /** The directory of PostgreSQL's programs. */
    public static final String BIN_VARIABLE = "DEMOS_IM_TEST_POSTGRES_BIN";

    private final Path bin = Path.of(System.getenv(BIN_VARIABLE));
    private final Path dir;
    private final int port;

    /**
     * Creates and starts a PostgreSQL server of the test's own.
     *
     * @throws IOException if {@code initdb} or {@code pg_ctl} fails
     * @throws InterruptedException if interrupted
     */
    public TestPostgres() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("demos-im-reliability-pg");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (root()) {
            run("chown", "postgres", dir.toString());
        }
        pg(bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U postgres");
        start();
    }

    /** A new, empty database on the build's PostgreSQL: a test's rows never meet another's. */
    public static String freshDatabase() throws SQLException {
        return fresh(System.getenv(URL_VARIABLE));
    }

    /** A new, empty database on the server of {@code base}; returns its URL. */
    static String fresh(String base) throws SQLException {
        String name = "reliability_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        int query = base.indexOf('?', slash);
        return base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    }

    /** The URL of a fresh database on this server. */
    public String newDatabase() throws SQLException {
        return fresh(url());
    }

    /** The {@code postgres} database's URL. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Starts the server (again), waiting until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        pg(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("log") + " -w -o \"-p " + port
                + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
    }

    /** Stops it as an operator restarting it would ({@code -m fast}: every session is ended at once). */
    public void stop() throws IOException, InterruptedException {
        pg(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop");
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void pg(String command) throws IOException, InterruptedException {
        if (root()) {
            run("su", "postgres", "-s", "/bin/sh", "-c", command);
        } else {
            run("/bin/sh", "-c", command);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Stops the server at once and deletes its files. */
    @Override
    public void close() throws IOException {
        try {
            pg(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m immediate -w stop");
        } catch (IOException ignored) {
            // not running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(paths.get(i));
        }
    }
}
