package io.github.demosim.bench;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * This project's server as the end-to-end benchmarks run it: hardened mode, messages persisted in an H2 file
 * database in a fresh temporary directory (deleted on close), L2PS only, on an ephemeral loopback port. Every
 * other setting is the default, except the per-connection rate limit where a benchmark needs it off.
 */
final class BenchServer implements AutoCloseable {
    private final Path directory;
    private final DemosImServer server;

    private BenchServer(Path directory, DemosImServer server) {
        this.directory = directory;
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param rateLimited whether the hardened default rate limit (100 frames/s per connection, bursts of 500)
     *     applies; throughput runs turn it off, since it is there to stop one client flooding the server
     * @return the running server
     */
    static BenchServer start(boolean rateLimited) {
        Quiet.logs();
        Path directory;
        try {
            directory = Files.createTempDirectory("demos-im-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DemosImServer.Builder builder = DemosImServer.newBuilder()
                .mode(ServerMode.HARDENED)
                .l2psPort(0)
                .disableLegacy()
                .databaseFile(directory.resolve("demos-im"));
        if (!rateLimited) {
            builder.rateLimit(0, 0);
        }
        return new BenchServer(directory, builder.start());
    }

    /**
     * The L2PS URI.
     *
     * @return {@code ws://127.0.0.1:<port>/}
     */
    URI uri() {
        return server.l2psUri();
    }

    /** Stops the server and deletes its database. */
    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
