package io.github.demosim.server.support;

import io.github.demosim.server.DemosImServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server in a JVM of its own, so a test can kill it abruptly (SIGKILL) and restart on the same database.
 * Prints {@code PORTS <l2ps> <legacy>} once listening, then runs until killed. The argument is an H2 file path
 * (opened with {@code databaseFile}) or a JDBC URL (opened with {@code databaseUrl}, as {@code --db} does).
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        // A second and third argument, when given, are the pipeline's batch interval and finality delay in ms.
        Duration interval = args.length > 1 ? Duration.ofMillis(Long.parseLong(args[1])) : Duration.ofHours(1);
        DemosImServer.Builder b = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).batchInterval(interval);
        if (args.length > 2) {
            b.finalityDelay(Duration.ofMillis(Long.parseLong(args[2])));
        }
        if (args[0].startsWith("jdbc:")) {
            b.databaseUrl(args[0]);
        } else {
            b.databaseFile(Path.of(args[0]));
        }
        DemosImServer server = b.start();
        System.out.println("PORTS " + server.l2psPort() + " " + server.legacyPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts one on an H2 file; returns the process once it listens. */
    public static Started start(Path db) throws Exception {
        return start(db.toString());
    }

    /** Starts one on an H2 file path or a JDBC URL; returns the process once it listens. */
    public static Started start(String database) throws Exception {
        return start(database, new String[0]);
    }

    /**
     * Starts one with a running pipeline: a batch every {@code batchInterval}, confirmed after
     * {@code finalityDelay}.
     */
    public static Started start(String database, Duration batchInterval, Duration finalityDelay) throws Exception {
        return start(database, new String[] {Long.toString(batchInterval.toMillis()),
            Long.toString(finalityDelay.toMillis())});
    }

    /** Starts one with JVM options of its own (e.g. {@code -Ddemos.im.cluster.heartbeatMs=300}). */
    public static Started startWith(String database, java.util.List<String> jvmOptions) throws Exception {
        return start(database, new String[0], jvmOptions);
    }

    private static Started start(String database, String[] pipeline) throws Exception {
        return start(database, pipeline, java.util.List.of());
    }

    private static Started start(String database, String[] pipeline, java.util.List<String> jvmOptions)
            throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin));
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-cp",
                System.getProperty("java.class.path"), ServerProcess.class.getName(), database));
        command.addAll(java.util.List.of(pipeline));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORTS ")) {
                String[] parts = line.split(" ");
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty so the child never blocks on logging
                        }
                    } catch (java.io.IOException ignored) {
                        // the child died
                    }
                }, "server-process-output");
                drain.setDaemon(true);
                drain.start();
                return new Started(p, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
            log.append(line).append('\n');
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the server process did not start:\n" + log);
    }

    /**
     * A running server process.
     *
     * @param process the process
     * @param l2psPort its L2PS port
     * @param legacyPort its legacy port
     */
    public record Started(Process process, int l2psPort, int legacyPort) {
        public java.net.URI l2psUri() {
            return java.net.URI.create("ws://127.0.0.1:" + l2psPort + "/");
        }

        public java.net.URI legacyUri() {
            return java.net.URI.create("ws://127.0.0.1:" + legacyPort + "/");
        }

        /** SIGKILL: no shutdown hook, no graceful close of sockets or database. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
