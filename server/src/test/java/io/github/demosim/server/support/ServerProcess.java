package io.github.demosim.server.support;

import io.github.demosim.server.DemosImServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server in a JVM of its own, so a test can kill it abruptly (SIGKILL) and restart on the same database.
 * Prints {@code PORTS <l2ps> <legacy>} once listening, then runs until killed.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseFile(Path.of(args[0]))
                .batchInterval(Duration.ofHours(1)).start();
        System.out.println("PORTS " + server.l2psPort() + " " + server.legacyPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts one; returns the process once it listens. */
    public static Started start(Path db) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(),
                db.toString()).redirectErrorStream(true).start();
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
