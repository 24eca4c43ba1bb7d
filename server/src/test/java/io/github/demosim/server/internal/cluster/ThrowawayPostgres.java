package io.github.demosim.server.internal.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own, started as .ci/with-postgres starts one (initdb, then pg_ctl on
 * loopback with an ephemeral port, as the postgres user when the tests run as root), so a test may stop and start
 * it without disturbing the build's shared one. Needs {@code DEMOS_IM_TEST_POSTGRES_BIN}, which .ci/with-postgres
 * exports.
 */
final class ThrowawayPostgres implements AutoCloseable {
    static final String BIN_VARIABLE = "DEMOS_IM_TEST_POSTGRES_BIN";

    private final Path bin = Path.of(System.getenv(BIN_VARIABLE));
    private final Path dir;
    private final int port;

    ThrowawayPostgres() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("demos-im-cluster-pg");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (root()) {
            run("chown", "postgres", dir.toString());
        }
        pg(bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U postgres");
        start();
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    void start() throws IOException, InterruptedException {
        pg(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("log") + " -w -o \"-p " + port
                + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
    }

    /** Stops it as an operator restarting it would ({@code -m fast}: sessions are ended). */
    void stop() throws IOException, InterruptedException {
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

    @Override
    public void close() throws IOException {
        try {
            pg(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m immediate stop");
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
