package io.github.demosim.bench;

import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The server alone under load (issue 16): this project's server in a process of its own ({@link ServerProcess}:
 * hardened, H2 file with {@code WRITE_DELAY=0}, the per-connection rate limit off), driven by {@link RawPairs}
 * (raw connections of a client transport, real registrations, pre-sealed {@code send} frames, recipients that
 * acknowledge), so that no client crypto and no client library stands between the figures and the server.
 *
 * <p>Runs, in the order given by {@code --runs}, each on a fresh server process and database:
 * <ul>
 *   <li>{@code floor}: the same transport against {@link EchoServer} in its own process (pinned like the server):
 *       {@code pairs} connections, {@code window} frames of a real {@code send} frame in flight each; echoes per
 *       second and the echo process's CPU per echo, over at most 10 s after at most 5 s of warm-up. The ceiling a
 *       server on this transport could reach.</li>
 *   <li>{@code floor@RATE}, e.g. {@code floor@1000}: the same echo process in an open loop at that rate over
 *       {@code pairs} connections ({@link EchoLatency}): the latency floor under the open loops below.</li>
 *   <li>{@code closed}: every pair keeps {@code window} messages in flight (sent and not yet both acknowledged
 *       and delivered): the most the server delivers.</li>
 *   <li>a number, e.g. {@code 1000}: open loop at that many messages per second, round-robin over the pairs,
 *       message {@code i} due at {@code start + i / rate}; latency counts from when it was due, so a server (or
 *       generator) that falls behind is charged for every message it delays (no coordinated omission).</li>
 * </ul>
 * Every run has a warm-up ({@code --warmup} s, not recorded) and a measured window ({@code --seconds}); samples are
 * the messages issued in the window, every one of them (exact nearest-rank percentiles, {@link LatencyRun}). After
 * the window the generator stops sending and waits up to {@code --drain} s for the replies; a message without a
 * reply by then is {@code unfinished} and a percentile that falls on one is {@code null}. An open loop whose
 * backlog passes {@code --max-backlog} messages stops sending early ({@code saturated}); the messages it never
 * sent are unfinished too.
 *
 * <p>Server CPU per delivered message = the server process's CPU time over the window ({@code /proc/<pid>/stat},
 * all threads) ÷ messages delivered in the window. {@code --pin S,G} pins the server (and the echo server) to CPU
 * list {@code S} and this process to {@code G} with {@code taskset}, standing in for separate machines.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.ServerLoad [--runs floor,closed,1000,2500]
 * [--pairs 16] [--window 64] [--warmup 5] [--seconds 20] [--drain 60] [--max-backlog 100000] [--pool 16]
 * [--transport jdk] [--pin none|S,G] [--server-jvm "options"] [--db JDBC_URL] [--commit-delay MS]
 * [--batch-interval MS] [--finality-delay MS] [--json file]};
 * {@code --db} runs the server on that database (PostgreSQL, emptied before each run) instead of a fresh H2 file;
 * {@code --commit-delay} sets the server's store commit delay (0 = off) instead of its default;
 * {@code --batch-interval} and {@code --finality-delay} set the L2PS pipeline's (3600000, an hour, keeps the
 * pipeline, or its confirmations, out of a run: what they cost, docs/performance.md).
 */
public final class ServerLoad {
    private static final String USAGE = "ServerLoad [--runs floor,floor@<rate>,closed,<rate>,...] [--pairs n]"
            + " [--window n] [--warmup s] [--seconds s] [--drain s] [--max-backlog n] [--pool n]"
            + " [--transport jdk|java-websocket|tyrus] [--pin none|SERVER_CPUS,GENERATOR_CPUS]"
            + " [--server-jvm \"jvm options\"] [--db JDBC_URL] [--commit-delay MS] [--batch-interval MS]"
            + " [--finality-delay MS] [--json file]";
    /** Closed-loop sample capacity: messages per second of run time the arrays can hold. */
    private static final int CLOSED_LOOP_CAPACITY_PER_SECOND = 60_000;

    private final String transport;
    private final int pairs;
    private final int window;
    private final int warmup;
    private final int seconds;
    private final int drain;
    private final int maxBacklog;
    private final int pool;
    private final String serverCpus;
    private final List<String> serverJvm;
    private final String db;
    /** The server settings given on the command line (commit delay, pipeline interval, finality delay). */
    private final BenchServer.Tuning tuning;

    private ServerLoad(Args a) {
        transport = a.text("transport", "jdk");
        pairs = a.number("pairs", 16);
        window = a.number("window", 64);
        warmup = a.number("warmup", 5);
        seconds = a.number("seconds", 20);
        drain = a.number("drain", 60);
        maxBacklog = a.number("max-backlog", 100_000);
        pool = a.number("pool", 16);
        String pin = a.text("pin", "none");
        serverCpus = pin.equals("none") ? null : pin.split(",", 2)[0];
        String jvm = a.text("server-jvm", "").trim();
        serverJvm = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
        db = a.text("db", "");
        tuning = BenchServer.Tuning.of(a);
        if (pairs < 1 || window < 1 || warmup < 0 || seconds < 1 || drain < 1 || pool < 1 || maxBacklog < 1) {
            throw new IllegalArgumentException("counts and times must be positive; usage: " + USAGE);
        }
    }

    /**
     * Runs the measurements, prints progress to stderr and the result as JSON to stdout.
     *
     * @param args see the class comment
     * @throws Exception if a process, a connection or the server fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "runs", "pairs", "window", "warmup", "seconds", "drain", "max-backlog",
                "pool", "transport", "pin", "server-jvm", "db", "commit-delay", "batch-interval", "finality-delay",
                "json");
        Quiet.logs();
        String pin = a.text("pin", "none");
        if (!pin.equals("none")) {
            if (!pin.matches("[0-9,-]+,[0-9-]+") || pin.split(",").length != 2) {
                throw new IllegalArgumentException("--pin takes SERVER_CPUS,GENERATOR_CPUS (e.g. 0,1) or none");
            }
            pinSelf(pin.split(",", 2)[1]);
        }
        ServerLoad load = new ServerLoad(a);
        String loadBefore = loadAverage();
        List<String> results = new ArrayList<>();
        for (String run : a.text("runs", "floor,closed,1000,2500").split(",")) {
            if (run.equals("floor")) {
                results.add(load.floor());
            } else if (run.matches("floor@[0-9]+") && Integer.parseInt(run.substring(6)) > 0) {
                results.add(EchoLatency.run(load.transport, load.pairs, Integer.parseInt(run.substring(6)),
                        load.warmup, load.seconds, load.serverCpus));
            } else if (run.equals("closed")) {
                results.add(load.messages(0));
            } else if (run.matches("[0-9]+") && Integer.parseInt(run) > 0) {
                results.add(load.messages(Integer.parseInt(run)));
            } else {
                throw new IllegalArgumentException("unknown run '" + run + "'; usage: " + USAGE);
            }
        }
        String json = String.format(Locale.ROOT, "{\"transport\":\"%s\",\"pin\":%s,\"serverMode\":\"hardened\","
                + "\"database\":\"%s\",%s,\"rateLimit\":\"off\",\"pairs\":%d,\"window\":%d,"
                + "\"warmupSeconds\":%d,"
                + "\"seconds\":%d,\"loadBefore\":\"%s\",\"loadAfter\":\"%s\",\"date\":\"%s\",\"runs\":[%s]}",
                load.transport, pin.equals("none") ? "null" : "\"" + pin + "\"",
                databaseLabel(load.db), load.tuning.json(), load.pairs,
                load.window, load.warmup,
                load.seconds, loadBefore, loadAverage(), Instant.now(), String.join(",", results));
        System.out.println(json);
        String file = a.text("json", null);
        if (file != null) {
            LatencyRun.write(Path.of(file), json);
        }
    }

    /** A closed loop ({@code rate} 0) or an open loop at {@code rate} msg/s against a fresh server. */
    private String messages(int rate) throws Exception {
        boolean open = rate > 0;
        String name = open ? "open loop, " + rate + " msg/s" : "closed loop";
        int capacity = (warmup + seconds) * (open ? rate : CLOSED_LOOP_CAPACITY_PER_SECOND);
        List<String> serverArgs = new ArrayList<>(List.of("--rate-limit", "off"));
        if (!db.isEmpty()) {
            serverArgs.addAll(List.of("--db", db));
        }
        serverArgs.addAll(tuning.options());
        try (Forked server = Forked.start(ServerProcess.class, serverCpus, serverJvm,
                        serverArgs.toArray(String[]::new));
                RawPairs p = RawPairs.connect(server.uri(), transport, pairs, pool, capacity)) {
            AtomicInteger nextSeq = new AtomicInteger();
            AtomicLong[] issued = new AtomicLong[pairs];
            Arrays.setAll(issued, i -> new AtomicLong());
            AtomicBoolean running = new AtomicBoolean(true);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
            long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
            p.window(windowStart, windowEnd);
            if (!open) {
                p.onProgress(pair -> p.refill(pair, window, issued[pair], nextSeq, running));
            }
            int[] seqWindow = new int[2];
            long[] cpu = new long[2];
            boolean saturated = false;
            try (Progress progress = new Progress(name, p, server, start)) {
                if (open) {
                    int total = capacity;
                    int warmupCount = warmup * rate;
                    seqWindow[0] = warmupCount;
                    seqWindow[1] = total;
                    for (int i = 0; i < total; i++) {
                        long due = start + i * TimeUnit.SECONDS.toNanos(1) / rate;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        if (i == warmupCount) {
                            cpu[0] = server.cpuNanos();
                        }
                        if (p.failure() != null) {
                            break;
                        }
                        if (p.totalSent() - Math.min(p.totalAcked(), p.totalDelivered()) > maxBacklog) {
                            saturated = true;
                            progress.say("backlog above " + maxBacklog + " messages: stopped sending");
                            break;
                        }
                        p.send(i % pairs, i, due);
                    }
                    if (!saturated) {
                        sleepUntil(windowEnd);
                    }
                    cpu[1] = server.cpuNanos();
                } else {
                    for (int i = 0; i < pairs; i++) {
                        p.refill(i, window, issued[i], nextSeq, running);
                    }
                    sleepUntil(windowStart);
                    cpu[0] = server.cpuNanos();
                    seqWindow[0] = nextSeq.get();
                    sleepUntil(windowEnd);
                    cpu[1] = server.cpuNanos();
                    seqWindow[1] = Math.min(nextSeq.get(), capacity);
                    running.set(false);
                }
                progress.say("window over: draining (up to " + drain + " s)");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
                while (p.failure() == null && System.nanoTime() < deadline
                        && (p.totalAcked() < p.totalSent() || p.totalDelivered() < p.totalSent())) {
                    Thread.sleep(50);
                }
            }
            if (p.failure() != null) {
                throw new IllegalStateException(name + ": " + p.failure());
            }
            if (!open && nextSeq.get() > capacity) {
                throw new IllegalStateException(name + ": more than " + capacity + " messages; raise "
                        + "CLOSED_LOOP_CAPACITY_PER_SECOND");
            }
            return result(p, rate, seqWindow, cpu, saturated);
        }
    }

    private String result(RawPairs p, int rate, int[] seqWindow, long[] cpu, boolean saturated) {
        int n = seqWindow[1] - seqWindow[0];
        long[] ack = new long[n];
        long[] delivery = new long[n];
        long unfinished = 0;
        for (int i = 0; i < n; i++) {
            ack[i] = p.ackNanos(seqWindow[0] + i);
            delivery[i] = p.deliveryNanos(seqWindow[0] + i);
            if (ack[i] == RawPairs.NEVER || delivery[i] == RawPairs.NEVER) {
                unfinished++;
            }
        }
        long delivered = p.deliveredInWindow();
        double cpuSeconds = (cpu[1] - cpu[0]) / 1e9;
        return String.format(Locale.ROOT, "{\"run\":\"%s\",\"offeredRate\":%s,\"samples\":%d,\"unfinished\":%d,"
                + "\"saturated\":%b,\"sent\":%d,\"acked\":%d,\"delivered\":%d,\"deliveredInWindow\":%d,"
                + "\"deliveredPerSecond\":%.1f,\"serverCpuSeconds\":%.2f,\"serverCpuShare\":%.3f,"
                + "\"serverCpuUsPerDelivered\":%s,\"messageStatusFrames\":%d,\"duplicates\":%d,\"ack\":%s,"
                + "\"delivery\":%s}", rate > 0 ? "open" : "closed", rate > 0 ? rate : "null", n, unfinished, saturated,
                p.totalSent(), p.totalAcked(), p.totalDelivered(), delivered, delivered / (double) seconds, cpuSeconds,
                cpuSeconds / seconds, delivered == 0 ? "null" : String.format(Locale.ROOT, "%.1f",
                        cpuSeconds * 1e6 / delivered), p.messageStatusFrames(), p.duplicates(),
                LatencyRun.percentiles(ack), LatencyRun.percentiles(delivery));
    }

    /** The transport's floor: echoes of a real {@code send} frame by a plain Jetty endpoint in its own process. */
    private String floor() throws Exception {
        String frame = CodecProvider.find().create().encode(RealisticFrames.all().get("l2ps-client/send").frame());
        AtomicLong echoes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<TransportSession> sessions = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (Forked echo = Forked.start(EchoServer.class, serverCpus, List.of())) {
            TransportListener listener = new TransportListener() {
                @Override
                public void onText(TransportSession s, String text) {
                    echoes.incrementAndGet();
                    if (running.get()) {
                        s.sendText(frame).whenComplete((v, e) -> failed(e));
                    }
                }

                @Override
                public void onError(TransportSession s, io.github.demosim.TransportException error) {
                    failed(error);
                }

                private void failed(Throwable e) {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                }
            };
            for (int i = 0; i < pairs; i++) {
                sessions.add(TransportProvider.find(transport).connect(TransportOptions.of(echo.uri()), listener)
                        .get(10, TimeUnit.SECONDS));
            }
            for (TransportSession s : sessions) {
                for (int k = 0; k < window; k++) {
                    s.sendText(frame);
                }
            }
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(warmup, 5)));
            long e0 = echoes.get();
            long c0 = echo.cpuNanos();
            long t0 = System.nanoTime();
            long measureSeconds = Math.min(seconds, 10);
            for (int s = 1; s <= measureSeconds && failure.get() == null; s++) {
                Thread.sleep(1000);
                System.err.printf(Locale.ROOT, "[floor] %3ds  %,d echoes/s so far%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        (long) ((echoes.get() - e0) / ((System.nanoTime() - t0) / 1e9)));
            }
            long e1 = echoes.get();
            long c1 = echo.cpuNanos();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            for (TransportSession s : sessions) {
                s.close(1000, "done").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("floor: " + failure.get(), failure.get());
            }
            return String.format(Locale.ROOT, "{\"run\":\"floor\",\"connections\":%d,\"frameChars\":%d,"
                    + "\"seconds\":%.1f,\"echoesPerSecond\":%.1f,\"echoCpuUsPerFrame\":%.2f,\"echoCpuShare\":%.3f}",
                    pairs, frame.length(), elapsed, (e1 - e0) / elapsed, (c1 - c0) / 1e3 / Math.max(1, e1 - e0),
                    (c1 - c0) / 1e9 / elapsed);
        }
    }

    /** Prints a progress line every second on its own thread: counters, rate and server CPU of the last second. */
    private static final class Progress implements AutoCloseable {
        private final Thread thread;
        private final String name;
        private final long start;
        private volatile boolean done;

        Progress(String name, RawPairs p, Forked server, long start) {
            this.name = name;
            this.start = start;
            thread = new Thread(() -> {
                long lastDelivered = 0;
                long lastCpu = server.cpuNanos();
                long last = System.nanoTime();
                while (!done) {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    long now = System.nanoTime();
                    long delivered = p.totalDelivered();
                    long cpu = server.cpuNanos();
                    say(String.format(Locale.ROOT, "sent %,d  acked %,d  delivered %,d  open %,d  %,.0f delivered/s"
                            + "  server CPU %.0f %%", p.totalSent(), p.totalAcked(), delivered,
                            p.totalSent() - Math.min(p.totalAcked(), delivered),
                            (delivered - lastDelivered) / ((now - last) / 1e9), 100.0 * (cpu - lastCpu) / (now - last)));
                    lastDelivered = delivered;
                    lastCpu = cpu;
                    last = now;
                }
            }, "server-load-progress");
            thread.setDaemon(true);
            thread.start();
        }

        void say(String what) {
            System.err.printf(Locale.ROOT, "[%s] %3ds  %s%n", name,
                    TimeUnit.NANOSECONDS.toSeconds(Math.max(0, System.nanoTime() - start)), what);
        }

        @Override
        public void close() {
            done = true;
            thread.interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
    }

    /** Pins every thread of this JVM (and so the threads they start) to {@code cpus}. */
    private static void pinSelf(String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset -a -p -c " + cpus + " failed (is util-linux installed?)");
        }
    }

    /** The database a run used, for the report: an H2 file unless {@code --db} named another. */
    private static String databaseLabel(String db) {
        if (db.isEmpty()) {
            return "h2-file";
        }
        return db.startsWith("jdbc:postgresql:") ? "postgresql" : db.startsWith("jdbc:h2:mem:") ? "h2-memory" : "other";
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
