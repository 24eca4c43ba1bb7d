package io.github.demosim.bench;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerLimits;
import io.github.demosim.server.ServerMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This project's server as the end-to-end benchmarks run it: hardened mode, messages persisted in an H2 file
 * database in a fresh temporary directory (deleted on close), L2PS only, on an ephemeral loopback port. Every
 * other setting is the default, except the per-connection rate limit where a benchmark needs it off, and the
 * in-memory database that diagnostic runs use to show what persistence costs.
 */
final class BenchServer implements AutoCloseable {
    private final Path directory;
    private final DemosImServer server;

    private BenchServer(Path directory, DemosImServer server) {
        this.directory = directory;
        this.server = server;
    }

    /**
     * Starts a server with an H2 file database.
     *
     * @param rateLimited whether the hardened default rate limit (100 frames/s per connection, bursts of 500)
     *     applies; throughput runs turn it off, since it is there to stop one client flooding the server
     * @return the running server
     */
    static BenchServer start(boolean rateLimited) {
        return start(rateLimited, Database.H2_FILE);
    }

    /** Where the server keeps messages. */
    enum Database {
        /** An H2 file, each acknowledged message written to it before the acknowledgement (the default). */
        H2_FILE,
        /** An in-memory H2 database: no durability; for diagnostics only. */
        H2_MEMORY;

        /**
         * Reads a JMH parameter value.
         *
         * @param name {@code h2-file} or {@code h2-memory}
         * @return the database kind
         */
        static Database of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * Starts a server.
     *
     * @param rateLimited whether the hardened default rate limit applies
     * @param database where messages are kept
     * @return the running server
     */
    static BenchServer start(boolean rateLimited, Database database) {
        return start(rateLimited, database, null, Tuning.DEFAULTS);
    }

    /**
     * Server settings a load run may change from the server's defaults, each {@code null} for the default: what
     * the A/B runs and the diagnostics of docs/performance.md vary.
     *
     * @param commitDelay the store's commit delay
     * @param batchInterval the time between L2PS pipeline rounds (an hour: no pipeline within a run)
     * @param finalityDelay the time from an L2PS batch to its confirmation (an hour: no confirmations)
     */
    record Tuning(java.time.Duration commitDelay, java.time.Duration batchInterval,
            java.time.Duration finalityDelay) {
        /** Every setting the server's default. */
        static final Tuning DEFAULTS = new Tuning(null, null, null);
        /** The command-line options that set them, as {@link #of} reads and {@link #options} writes them. */
        static final List<String> OPTIONS = List.of("commit-delay", "batch-interval", "finality-delay");

        /**
         * Reads {@code --commit-delay MS}, {@code --batch-interval MS} and {@code --finality-delay MS}.
         *
         * @param a the options
         * @return the settings given, the others {@code null}
         */
        static Tuning of(Args a) {
            Tuning t = new Tuning(a.millis(OPTIONS.get(0)), a.millis(OPTIONS.get(1)), a.millis(OPTIONS.get(2)));
            if (java.time.Duration.ZERO.equals(t.batchInterval)) {
                throw new IllegalArgumentException("--batch-interval must be at least 1 ms");
            }
            return t;
        }

        /** The options that give these settings to a forked {@link ServerProcess}. */
        List<String> options() {
            List<String> out = new java.util.ArrayList<>();
            java.time.Duration[] values = {commitDelay, batchInterval, finalityDelay};
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    out.addAll(List.of("--" + OPTIONS.get(i), Long.toString(values[i].toMillis())));
                }
            }
            return out;
        }

        /** The settings as JSON members: milliseconds, {@code null} for the server's default. */
        String json() {
            return String.format(java.util.Locale.ROOT, "\"commitDelayMs\":%s,\"batchIntervalMs\":%s,"
                    + "\"finalityDelayMs\":%s", millis(commitDelay), millis(batchInterval), millis(finalityDelay));
        }

        private static String millis(java.time.Duration d) {
            return d == null ? "null" : Long.toString(d.toMillis());
        }

        void applyTo(DemosImServer.Builder builder) {
            if (commitDelay != null) {
                builder.storeCommitDelay(commitDelay);
            }
            if (batchInterval != null) {
                builder.batchInterval(batchInterval);
            }
            if (finalityDelay != null) {
                builder.finalityDelay(finalityDelay);
            }
        }
    }

    /**
     * Starts a server.
     *
     * @param rateLimited whether the hardened default rate limit applies
     * @param jdbcUrl the database, or {@code null} for a fresh H2 file
     * @param tuning the settings that differ from the server's defaults
     * @return the started server
     */
    static BenchServer start(boolean rateLimited, String jdbcUrl, Tuning tuning) {
        if (jdbcUrl == null) {
            return start(rateLimited, Database.H2_FILE, null, tuning);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
                java.sql.Statement st = c.createStatement()) {
            for (String table : List.of("l2ps_message_bodies", "l2ps_messages", "l2ps_batches")) {
                st.execute("DELETE FROM " + table); // absent on a new database: then nothing to empty
            }
        } catch (java.sql.SQLException e) {
            System.err.println("bench: not emptying " + jdbcUrl.replaceAll("password=[^&]*", "password=***")
                    + " (" + e.getMessage() + ")");
        }
        return start(rateLimited, null, jdbcUrl, tuning);
    }

    private static BenchServer start(boolean rateLimited, Database database, String jdbcUrl, Tuning tuning) {
        Quiet.logs();
        Path directory;
        try {
            directory = Files.createTempDirectory("demos-im-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Every benchmark client connects from 127.0.0.1: the per-address caps (256 connections, 1,000 frames/s)
        // would measure themselves, not the server, so they are lifted here; the per-connection limit stays.
        DemosImServer.Builder builder = DemosImServer.newBuilder()
                .mode(ServerMode.HARDENED)
                .l2psPort(0)
                .disableLegacy()
                .limits(ServerLimits.defaults().withMaxConnectionsPerAddress(ServerLimits.DEFAULT_MAX_CONNECTIONS)
                        .withRateLimitPerAddress(0, 0));
        if (jdbcUrl != null) {
            builder.databaseUrl(jdbcUrl);
        } else if (database == Database.H2_FILE) {
            builder.databaseFile(directory.resolve("demos-im"));
        } else {
            builder.inMemoryDatabase();
        }
        if (!rateLimited) {
            builder.rateLimit(0, 0);
        }
        tuning.applyTo(builder);
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
