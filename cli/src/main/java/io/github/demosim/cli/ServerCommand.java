package io.github.demosim.cli;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        operations.applyTo(builder, host);
        StopSignals signals = new StopSignals();
        DemosImServer server = builder.start();
        // Exits other than a signal (SIGHUP, System.exit elsewhere) still stop gracefully; close() is idempotent.
        Thread hook = new Thread(server::close, "demos-im-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("demos-im server (" + server.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode), networks "
                + String.join(", ", server.l2psUids()));
        if (server.l2psPort() > 0) {
            out.println("  L2PS messaging:   " + server.l2psUri() + "   (port " + server.l2psPort() + ")");
        }
        if (server.legacyPort() > 0) {
            out.println("  legacy signaling: " + server.legacyUri() + "   (port " + server.legacyPort() + ")");
        }
        out.println("  database:         " + (db != null ? Redact.jdbcUrl(db) : dataDir.resolve("demos-im") + " (H2)"));
        if (server.adminPort() > 0) {
            out.println("  admin (metrics, health): http://" + hostForUrl(operations.adminHost != null
                    ? operations.adminHost : host) + ":" + server.adminPort() + "/metrics   (port "
                    + server.adminPort() + ")");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        String signal = signals.await();
        out.println("demos-im server stopping (" + signal + ")");
        out.flush();
        server.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        out.println("demos-im server stopped");
        out.flush();
        return 0;
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
