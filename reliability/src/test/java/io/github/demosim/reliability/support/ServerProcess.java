package io.github.demosim.reliability.support;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerLimits;
import io.github.demosim.server.ServerMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DemosImServer} in a JVM of its own: a test can kill it (SIGKILL: no shutdown hook, nothing flushed,
 * no socket closed) and restart it on the same database, and measure its heap, threads and descriptors
 * without counting the clients. Prints {@code PORTS <l2ps> <legacy>} once listening; then answers {@code stats}
 * on standard input with a {@code STATS} line and {@code stop} with a graceful stop.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_GUARD = Duration.ofSeconds(60);
    /** Loggers configured by {@code fine=}, held so that their level is not collected with them. */
    private static final List<java.util.logging.Logger> KEEP = new ArrayList<>();

    private final Process process;
    private final int l2psPort;
    private final int legacyPort;
    private final Writer commands;
    private final BlockingQueue<String> replies;
    private final Deque<String> log;

    private ServerProcess(Process process, int l2psPort, int legacyPort, Writer commands, BlockingQueue<String> replies,
            Deque<String> log) {
        this.process = process;
        this.l2psPort = l2psPort;
        this.legacyPort = legacyPort;
        this.commands = commands;
        this.replies = replies;
        this.log = log;
    }

    /**
     * The child's entry point: {@code name=value} arguments {@code db}, {@code mode}, {@code l2ps}, {@code legacy},
     * {@code rate} ({@code perSecond:burst}), {@code batchInterval} (ms), {@code limits} (see
     * {@link Options#limits}).
     *
     * @param args the settings
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        if (Boolean.getBoolean("reliability.server.debug")) { // -Dreliability.server.debug=true on the test JVM
            java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.github.demosim.server");
            log.setLevel(java.util.logging.Level.FINE);
            java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
            console.setLevel(java.util.logging.Level.FINE);
            log.addHandler(console);
            for (String extra : System.getProperty("reliability.server.debug.more", "").split(",")) {
                if (!extra.isBlank()) {
                    java.util.logging.Logger x = java.util.logging.Logger.getLogger(extra);
                    x.setLevel(java.util.logging.Level.FINE);
                    x.addHandler(console);
                }
            }
        }
        if (a.containsKey("fine")) { // Options.logFine: these loggers' FINE records on stderr, which the parent reads
            java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
            console.setLevel(java.util.logging.Level.FINE);
            for (String name : a.get("fine").split(",")) {
                java.util.logging.Logger x = java.util.logging.Logger.getLogger(name);
                x.setLevel(java.util.logging.Level.FINE);
                x.addHandler(console);
                KEEP.add(x);
            }
        }
        DemosImServer.Builder b = DemosImServer.newBuilder();
        if (a.containsKey("dbUrl")) {
            b.databaseUrl(a.get("dbUrl"));
        } else {
            b.databaseFile(Path.of(a.get("db")));
        }
        b
                .mode(ServerMode.valueOf(a.getOrDefault("mode", "HARDENED")))
                .l2psPort(Integer.parseInt(a.getOrDefault("l2ps", "0")))
                .legacyPort(Integer.parseInt(a.getOrDefault("legacy", "0")));
        if (a.containsKey("rate")) {
            String[] r = a.get("rate").split(":");
            b.rateLimit(Integer.parseInt(r[0]), Integer.parseInt(r[1]));
        }
        if (a.containsKey("batchInterval")) {
            b.batchInterval(Duration.ofMillis(Long.parseLong(a.get("batchInterval"))));
        }
        if (a.containsKey("limits")) {
            b.limits(limits(a.get("limits")));
        }
        DemosImServer server = b.start();
        PrintStream out = System.out;
        out.println("PORTS " + server.l2psPort() + " " + server.legacyPort());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("stats")) {
                out.println(ProcessStats.measure().wire());
            } else if (line.equals("stop")) {
                server.stop();
                out.println("STOPPED");
                out.flush();
                System.exit(0);
            }
            out.flush();
        }
        // the parent went away: stop with it
        server.stop();
        System.exit(0);
    }

    /** Reads {@code name:v1:v2,...} pairs into limits (names as in {@link ServerLimits}'s {@code with} methods). */
    private static ServerLimits limits(String spec) {
        ServerLimits l = ServerLimits.defaults();
        for (String item : spec.split(",")) {
            String[] p = item.split(":");
            switch (p[0]) {
                case "connections" -> l = l.withMaxConnections(Integer.parseInt(p[1]));
                case "perAddress" -> l = l.withMaxConnectionsPerAddress(Integer.parseInt(p[1]));
                case "handshakeMs" -> l = l.withHandshakeTimeout(Duration.ofMillis(Long.parseLong(p[1])));
                case "registrationMs" -> l = l.withRegistrationTimeout(Duration.ofMillis(Long.parseLong(p[1])));
                case "outgoing" -> l = l.withOutgoingBuffer(Long.parseLong(p[1]), Long.parseLong(p[2]));
                case "queue" -> l = l.withOfflineQueue(Integer.parseInt(p[1]), Long.parseLong(p[2]));
                case "addressRate" -> l = l.withRateLimitPerAddress(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                default -> throw new IllegalArgumentException("unknown limit " + p[0]);
            }
        }
        return l;
    }

    /** Settings of a server process. */
    public static final class Options {
        private final Path db;
        private ServerMode mode = ServerMode.HARDENED;
        private int l2psPort;
        private int legacyPort;
        private String rate;
        private Long batchIntervalMs;
        private String maxHeap = "256m";
        private String databaseUrl;
        private final List<String> limits = new ArrayList<>();
        private final List<String> fine = new ArrayList<>();

        private Options(Path db) {
            this.db = db;
        }

        public Options mode(ServerMode m) {
            this.mode = m;
            return this;
        }

        /** Fixed ports, e.g. to restart a killed server where its clients expect it. */
        public Options ports(int l2ps, int legacy) {
            this.l2psPort = l2ps;
            this.legacyPort = legacy;
            return this;
        }

        public Options rateLimit(int perSecond, int burst) {
            this.rate = perSecond + ":" + burst;
            return this;
        }

        public Options batchInterval(Duration d) {
            this.batchIntervalMs = d.toMillis();
            return this;
        }

        /** Opens this JDBC URL instead of the H2 file (which the server opens with {@code WRITE_DELAY=0}). */
        public Options databaseUrl(String url) {
            this.databaseUrl = url;
            return this;
        }

        /**
         * One of the server's limits, e.g. {@code limit("queue", 100, 8 << 20)} for
         * {@code withOfflineQueue(100, 8 MiB)}; names: connections, perAddress, handshakeMs, registrationMs,
         * outgoing, queue, addressRate.
         */
        public Options limit(String name, long... values) {
            StringBuilder b = new StringBuilder(name);
            for (long v : values) {
                b.append(':').append(v);
            }
            limits.add(b.toString());
            return this;
        }

        /** Logs these loggers' (e.g. a package's) records down to FINE, readable in {@link ServerProcess#recentLog()}. */
        public Options logFine(String... loggers) {
            fine.addAll(List.of(loggers));
            return this;
        }

        /** The child's {@code -Xmx}. Default 256m. */
        public Options maxHeap(String xmx) {
            this.maxHeap = xmx;
            return this;
        }

        /** Starts the process and waits until it listens. */
        public ServerProcess start() {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + maxHeap, "-XX:+UseG1GC", "-Dreliability.server.debug="
                            + Boolean.getBoolean("reliability.server.debug"), "-Dreliability.server.debug.more="
                            + System.getProperty("reliability.server.debug.more", ""), "-cp", System.getProperty("java.class.path"),
                    ServerProcess.class.getName(), "db=" + db, "mode=" + mode, "l2ps=" + l2psPort,
                    "legacy=" + legacyPort));
            if (rate != null) {
                cmd.add("rate=" + rate);
            }
            if (batchIntervalMs != null) {
                cmd.add("batchInterval=" + batchIntervalMs);
            }
            if (databaseUrl != null) {
                cmd.add("dbUrl=" + databaseUrl);
            }
            if (!limits.isEmpty()) {
                cmd.add("limits=" + String.join(",", limits));
            }
            if (!fine.isEmpty()) {
                cmd.add("fine=" + String.join(",", fine));
            }
            return launch(cmd);
        }
    }

    /** Settings for a server on this H2 database file (without extension). */
    public static Options on(Path db) {
        return new Options(db);
    }

    private static ServerProcess launch(List<String> cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start a server process", e);
        }
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        Deque<String> log = new ArrayDeque<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("PORTS ") || line.startsWith("STATS ") || line.equals("STOPPED")) {
                        replies.add(line);
                    } else {
                        synchronized (log) {
                            log.add(line);
                            if (log.size() > 200) {
                                log.poll();
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child died
            }
        }, "server-process-output");
        reader.setDaemon(true);
        reader.start();
        String ports = poll(replies, START_GUARD);
        if (ports == null || !ports.startsWith("PORTS ")) {
            p.destroyForcibly();
            throw new AssertionError("the server process did not start:\n" + String.join("\n", log));
        }
        String[] parts = ports.split(" ");
        return new ServerProcess(p, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), replies, log);
    }

    private static String poll(BlockingQueue<String> q, Duration d) {
        try {
            return q.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public int l2psPort() {
        return l2psPort;
    }

    public int legacyPort() {
        return legacyPort;
    }

    public URI l2psUri() {
        return URI.create("ws://127.0.0.1:" + l2psPort + "/");
    }

    public URI legacyUri() {
        return URI.create("ws://127.0.0.1:" + legacyPort + "/");
    }

    /** The server's own heap after GC, threads and descriptors. */
    public ProcessStats stats() {
        command("stats");
        String line = poll(replies, Duration.ofSeconds(60));
        if (line == null || !line.startsWith("STATS ")) {
            throw new AssertionError("the server process did not report its stats (got " + line + ")");
        }
        return ProcessStats.parse(line);
    }

    /** SIGKILL: no shutdown hook, no graceful close of sockets or database. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the server logged. */
    public String recentLog() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    private void command(String c) {
        try {
            commands.write(c + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new AssertionError("the server process is gone:\n" + recentLog(), e);
        }
    }

    /** Stops the server gracefully, or kills it if it does not stop. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                command("stop");
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (AssertionError | InterruptedException e) {
                // fall through to the kill
            }
        }
        kill();
    }
}
