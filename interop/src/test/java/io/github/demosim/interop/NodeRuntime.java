package io.github.demosim.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the Node.js side of the suite lives and how to start it: the {@code node} executable
 * ({@code DEMOS_INTEROP_NODE}, else {@code node} on the PATH), the flags the peer scripts need on this
 * Node.js version, and the interop directory with its installed {@code node_modules}.
 *
 * <p>Missing pieces are failures with the fix, never skips: this suite only runs when asked for
 * ({@code -Pinterop}, through {@code interop/run}), and a skipped interop check proves nothing.
 */
final class NodeRuntime {

    private static NodeRuntime instance;

    private final String node;
    private final List<String> flags;
    private final Path directory;
    private final String version;

    private NodeRuntime(String node, List<String> flags, Path directory, String version) {
        this.node = node;
        this.flags = flags;
        this.directory = directory;
        this.version = version;
    }

    /** The runtime, checked once per test JVM. */
    static synchronized NodeRuntime get() {
        if (instance == null) {
            instance = locate();
        }
        return instance;
    }

    private static NodeRuntime locate() {
        String dir = System.getProperty("demos.interop.dir");
        if (dir == null) {
            throw new IllegalStateException("system property demos.interop.dir is not set: run the suite with"
                    + " interop/run (or mvn -Pinterop verify -pl interop -am), which sets it");
        }
        Path directory = Path.of(dir).toAbsolutePath();
        if (!Files.isDirectory(directory.resolve("node_modules/@kynesyslabs/demosdk"))) {
            throw new IllegalStateException("the TypeScript SDK is not installed in " + directory.resolve("node_modules")
                    + ": run interop/run, or (cd interop && npm ci --ignore-scripts) first");
        }
        String node = System.getenv().getOrDefault("DEMOS_INTEROP_NODE", "node");
        String version = run(List.of(node, "--version")).strip();
        if (!version.matches("v\\d+\\..*")) {
            throw new IllegalStateException("unexpected output of '" + node + " --version': " + version);
        }
        int major = Integer.parseInt(version.substring(1, version.indexOf('.')));
        if (major < 20) {
            throw new IllegalStateException("Node.js " + version + " is too old: the suite needs Node.js 20 or later");
        }
        // Node 20/21 expose the global WebSocket (used by the SDK's MessagingPeer) only behind this flag.
        List<String> flags = major < 22 ? List.of("--experimental-websocket") : List.of();
        return new NodeRuntime(node, flags, directory, version);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + String.join(" ", command)
                    + "': is Node.js installed (or DEMOS_INTEROP_NODE set)? " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The command line that runs {@code bin/<script>} with {@code args}. */
    List<String> command(String script, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(node);
        command.addAll(flags);
        command.add(directory.resolve("bin").resolve(script).toString());
        command.addAll(args);
        return command;
    }

    /** The interop directory, used as the scripts' working directory. */
    Path directory() {
        return directory;
    }

    /** The Node.js version, e.g. {@code v20.20.2}. */
    String version() {
        return version;
    }
}
