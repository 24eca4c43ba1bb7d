package io.github.demosim.cli;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code demos-im server}: runs the reference server for both protocols until Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true, defaultValueProvider = EnvironmentDefaults.class,
        description = {"Run the reference server for both protocols.",
                "L2PS messaging and legacy signaling, persisted in a database. Prints the bound ports; stops cleanly on"
                        + " Ctrl-C (SIGINT/SIGTERM) with exit status 0.",
                "Every option can also come from the environment: --admin-port from DEMOS_IM_ADMIN_PORT, and so on;"
                        + " an option given here wins (docs/operations.md)."})
final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--l2ps-port", paramLabel = "N", description = "L2PS messaging port; 0 = any free port, -1 = off. Default: ${DEFAULT-VALUE}.")
    int l2psPort = DemosImServer.DEFAULT_L2PS_PORT;

    @Option(names = "--legacy-port", paramLabel = "N", description = "Legacy signaling port; 0 = any free port, -1 = off. Default: ${DEFAULT-VALUE}.")
    int legacyPort = DemosImServer.DEFAULT_LEGACY_PORT;

    @Option(names = "--mode", paramLabel = "hardened|reference",
            description = "hardened (default): request ids echoed, fresh proofs, rate limits, extensions. reference: the Demos node's behaviour, bugs included.")
    String mode = "hardened";

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "Database, e.g. jdbc:postgresql://localhost/demos. Default: an H2 file in --data-dir.")
    String db;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the default H2 database lives. Default: ${DEFAULT-VALUE}.")
    Path dataDir = Path.of(".demos-im", "data");

    @Option(names = "--network", paramLabel = "UID", split = ",", description = "An L2PS network uid to host (repeatable). Default: " + DemosImServer.DEFAULT_L2PS_UID + ".")
    List<String> networks = new ArrayList<>();

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Interface to bind. Default: ${DEFAULT-VALUE}.")
    String host = "127.0.0.1";

    @Option(names = "--batch-interval", paramLabel = "MS", description = "L2PS pipeline batch interval in ms. Default: server default.")
    Long batchIntervalMs;

    @Option(names = "--finality-delay", paramLabel = "MS", description = "Delay from l2ps_batched to l2ps_confirmed in ms. Default: server default.")
    Long finalityDelayMs;

    @Option(names = "--max-connections", paramLabel = "N", description = "Connections on both ports together; more are closed at once. Default: 10000 (or the descriptor limit minus 128).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Connections from one client address. Default: 256.")
    Integer maxConnectionsPerIp;

    @Option(names = "--handshake-timeout", paramLabel = "MS", description = "Time a new connection has to finish its WebSocket handshake. Default: 10000.")
    Long handshakeTimeoutMs;

    @Option(names = "--registration-timeout", paramLabel = "MS", description = "Time a connection has to register before it is closed (1008). Default: 30000.")
    Long registrationTimeoutMs;

    @Option(names = "--max-outgoing-buffer", paramLabel = "SIZE", description = "Bytes buffered for one client that does not read; beyond, it is closed (1008). Default: 16MiB.")
    String maxOutgoingBuffer;

    @Option(names = "--max-outgoing-total", paramLabel = "SIZE", description = "Bytes buffered for all clients together. Default: a quarter of the heap.")
    String maxOutgoingTotal;

    @Option(names = "--max-offline-queue", paramLabel = "N", description = "Messages in one recipient's offline queue. Default: 10000.")
    Integer maxOfflineQueue;

    @Option(names = "--max-offline-queue-size", paramLabel = "SIZE", description = "Bytes in one recipient's offline queue. Default: 64MiB.")
    String maxOfflineQueueSize;

    @Option(names = "--disk-reserve", paramLabel = "SIZE", description = "Free space kept on the disk of an H2 database file: below it, new messages are refused (\"Server storage is full\") while delivery goes on; 0 = off. Default: 512MiB.")
    String diskReserve;

    @Option(names = "--rate-limit", paramLabel = "PER_SECOND:BURST", description = "Hardened: frames per connection and per key; 0 = off. Default: 100:500.")
    String rateLimit;

    @Option(names = "--rate-limit-per-ip", paramLabel = "PER_SECOND:BURST", description = "Hardened: frames from one client address; 0 = off. Default: 1000:2000.")
    String rateLimitPerIp;

    @Option(names = "--workers", paramLabel = "N", description = "Threads that handle frames (database writes are grouped by one writer thread besides). Default: twice the processors, at least 4.")
    Integer workers;

    @Option(names = "--store-commit-delay", paramLabel = "MS", description = "How long a database writer that just made a small commit (under 32 writes) waits to share its next commit with more writes: less CPU per message at moderate rates, up to this much more latency; 0 = off, at most 100. Default: 1.")
    Long storeCommitDelayMs;

    @Option(names = "--db-recovery-timeout", paramLabel = "MS", description = "How long to try to reopen a database that failed before stopping (exit 1). Default: 30000.")
    Long dbRecoveryTimeoutMs;

    @Option(names = "--require-server-bound-proof",
            description = "Hardened mode: L2PS registrations must sign this server's challenge (extension server_challenge), so a proof captured elsewhere registers nothing here. Clients without the extension, such as the TypeScript SDK, can then not register.")
    boolean requireServerBoundProof;

    @Mixin
    OperationsOptions operations;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        DemosImServer.Builder builder = DemosImServer.newBuilder()
                .mode(Modes.parse(spec, mode))
                .host(host);
        if (l2psPort < 0) {
            builder.disableL2ps();
        } else {
            builder.l2psPort(l2psPort);
        }
        if (legacyPort < 0) {
            builder.disableLegacy();
        } else {
            builder.legacyPort(legacyPort);
        }
        if (db != null) {
            builder.databaseUrl(db);
        } else {
            builder.databaseFile(dataDir.resolve("demos-im"));
        }
        if (!networks.isEmpty()) {
            builder.l2psUids(networks);
        }
        if (batchIntervalMs != null) {
            builder.batchInterval(Duration.ofMillis(batchIntervalMs));
        }
        if (finalityDelayMs != null) {
            builder.finalityDelay(Duration.ofMillis(finalityDelayMs));
        }
        if (workers != null) {
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be at least 1; was " + workers);
            }
            builder.workerThreads(workers);
        }
        if (storeCommitDelayMs != null) {
            long max = DemosImServer.MAX_STORE_COMMIT_DELAY.toMillis();
            if (storeCommitDelayMs < 0 || storeCommitDelayMs > max) {
                throw new IllegalArgumentException("--store-commit-delay must be from 0 (off) to " + max
                        + " ms; was " + storeCommitDelayMs);
            }
            builder.storeCommitDelay(Duration.ofMillis(storeCommitDelayMs));
        }
        if (rateLimit != null) {
            int[] r = Sizes.rate(rateLimit, "--rate-limit");
            builder.rateLimit(r[0], r[1]);
        }
        if (dbRecoveryTimeoutMs != null) {
            builder.databaseRecoveryTimeout(Duration.ofMillis(dbRecoveryTimeoutMs));
        }
        ServerLimits limits = limits();
        builder.limits(limits);
        builder.requireServerBoundProof(requireServerBoundProof);
        operations.applyTo(builder, host);
        StopSignals signals = new StopSignals();
        DemosImServer server = builder.start();
        // Exits other than a signal (SIGHUP, System.exit elsewhere) still stop gracefully; close() is idempotent.
        Thread hook = new Thread(server::close, "demos-im-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // The server stops itself when its database fails for good: then this process ends with status 1.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        server.termination().whenComplete((ok, e) -> {
            if (e != null) {
                failure.set(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
                signals.stop("the database failed");
            }
        });
        out.println("demos-im server (" + server.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode"
                + (requireServerBoundProof ? ", server-bound proofs required" : "") + "), networks "
                + String.join(", ", server.l2psUids()));
        if (server.l2psPort() > 0) {
            out.println("  L2PS messaging:   " + server.l2psUri() + "   (port " + server.l2psPort() + ")");
        }
        if (server.legacyPort() > 0) {
            out.println("  legacy signaling: " + server.legacyUri() + "   (port " + server.legacyPort() + ")");
        }
        out.println("  database:         " + (db != null ? Redact.jdbcUrl(db) : dataDir.resolve("demos-im") + " (H2)"));
        out.println("  limits:           " + limits.maxConnections() + " connections (" + limits.maxConnectionsPerAddress()
                + " per address), offline queues of " + limits.offlineQueueMessages() + " messages / "
                + Sizes.text(limits.offlineQueueBytes()) + ", " + Sizes.text(limits.outgoingBytesPerConnection())
                + " buffered per client" + (limits.diskReserveBytes() > 0 && h2File(db) ? ", "
                        + Sizes.text(limits.diskReserveBytes()) + " kept free on the H2 file's disk" : ""));
        if (server.adminPort() > 0) {
            out.println("  admin (metrics, health): http://" + hostForUrl(operations.adminHost != null
                    ? operations.adminHost : host) + ":" + server.adminPort() + "/metrics   (port "
                    + server.adminPort() + ")");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        String signal = signals.await();
        Throwable failed = failure.get();
        if (failed != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
            spec.commandLine().getErr().println("server: " + failed.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        out.println("demos-im server stopping (" + signal + ")");
        out.flush();
        server.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        out.println("demos-im server stopped");
        out.flush();
        return 0;
    }

    private ServerLimits limits() {
        ServerLimits l = ServerLimits.defaults();
        if (maxConnections != null) {
            l = l.withMaxConnections(maxConnections);
        }
        if (maxConnectionsPerIp != null) {
            l = l.withMaxConnectionsPerAddress(maxConnectionsPerIp);
        }
        if (handshakeTimeoutMs != null) {
            l = l.withHandshakeTimeout(Duration.ofMillis(handshakeTimeoutMs));
        }
        if (registrationTimeoutMs != null) {
            l = l.withRegistrationTimeout(Duration.ofMillis(registrationTimeoutMs));
        }
        if (maxOutgoingBuffer != null || maxOutgoingTotal != null) {
            long per = maxOutgoingBuffer != null ? Sizes.bytes(maxOutgoingBuffer, "--max-outgoing-buffer")
                    : l.outgoingBytesPerConnection();
            long total = maxOutgoingTotal != null ? Sizes.bytes(maxOutgoingTotal, "--max-outgoing-total")
                    : Math.max(per, l.outgoingBytesTotal());
            l = l.withOutgoingBuffer(per, total);
        }
        if (maxOfflineQueue != null || maxOfflineQueueSize != null) {
            l = l.withOfflineQueue(maxOfflineQueue != null ? maxOfflineQueue : l.offlineQueueMessages(),
                    maxOfflineQueueSize != null ? Sizes.bytes(maxOfflineQueueSize, "--max-offline-queue-size")
                            : l.offlineQueueBytes());
        }
        if (diskReserve != null) {
            l = l.withDiskReserve(Sizes.bytes(diskReserve, "--disk-reserve"));
        }
        if (rateLimitPerIp != null) {
            int[] r = Sizes.rate(rateLimitPerIp, "--rate-limit-per-ip");
            l = l.withRateLimitPerAddress(r[0], r[1]);
        }
        return l;
    }

    /** Whether the database is an H2 file (the default, or a file URL): the disk reserve applies there. */
    private static boolean h2File(String db) {
        return db == null || db.regionMatches(true, 0, "jdbc:h2:", 0, 8) && !db.regionMatches(true, 8, "mem:", 0, 4)
                && !db.regionMatches(true, 8, "tcp:", 0, 4) && !db.regionMatches(true, 8, "ssl:", 0, 4);
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
