package io.github.demosim.bench;

import java.io.IOException;
import java.net.URI;
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
import java.util.concurrent.locks.LockSupport;

/**
 * Several server processes on one PostgreSQL database (a cluster, docs/cluster.md) under load (issue 17): each node
 * a {@link ServerProcess} of its own (hardened, the per-connection rate limit off) on the same database, driven by
 * {@link RawPairs} (raw connections, real registrations, pre-sealed {@code send} frames, recipients that
 * acknowledge), as {@link ServerLoad} drives one server.
 *
 * <p>Runs, each on fresh server processes (the message tables emptied first):
 * <ul>
 *   <li>for each node count of {@code --nodes} (default 1,2,3): a closed loop, {@code --window} messages in flight
 *       per pair, the pairs spread round-robin over the nodes: delivered messages per second of the cluster, and
 *       its CPU (all nodes) per message;</li>
 *   <li>an open loop at {@code --rate} msg/s (default 500) on the largest node count: latency from when a message
 *       was due to its {@code message_sent} (ack) and to its {@code message} at the recipient (delivery), exact
 *       nearest-rank percentiles over every message of the window.</li>
 * </ul>
 * The closed loops put each pair's sender and recipient on one node (pair {@code i} on node {@code i % nodes}): the
 * cluster's capacity when peers meet on a node. The open loop does the same with {@code --placement same}; with
 * {@code cross} it puts the recipient on the next node, so that every message crosses nodes (a notice to the
 * recipient's node and a read of the stored row). A server without routing between nodes answers
 * {@code message_queued} to a send for a peer on another node: the run then stops and says so.
 *
 * <p>Prints progress to stderr, the result as JSON to stdout (and {@code --json}), and a Markdown table to
 * {@code --table} if given.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.ClusterLoad --db JDBC_URL [--nodes 1,2,3]
 * [--pairs 12] [--window 32] [--rate 500] [--placement same|cross] [--warmup 5] [--seconds 20] [--drain 60]
 * [--pool 16] [--transport jdk] [--json file] [--table file]}
 */
public final class ClusterLoad {
    private static final String USAGE = "ClusterLoad --db JDBC_URL [--nodes 1,2,3] [--pairs n] [--window n]"
            + " [--rate msg/s] [--placement same|cross] [--warmup s] [--seconds s] [--drain s] [--pool n]"
            + " [--transport jdk|java-websocket|tyrus] [--json file] [--table file]";
    private static final int CLOSED_LOOP_CAPACITY_PER_SECOND = 60_000;

    private final String db;
    private final String transport;
    private final int pairs;
    private final int window;
    private final int warmup;
    private final int seconds;
    private final int drain;
    private final int pool;
    private final boolean cross;

    private ClusterLoad(Args a) {
        db = a.text("db", "");
        transport = a.text("transport", "jdk");
        pairs = a.number("pairs", 12);
        window = a.number("window", 32);
        warmup = a.number("warmup", 5);
        seconds = a.number("seconds", 20);
        drain = a.number("drain", 60);
        pool = a.number("pool", 16);
        String placement = a.text("placement", "same");
        if (!placement.equals("same") && !placement.equals("cross")) {
            throw new IllegalArgumentException("--placement must be same or cross, got '" + placement + "'");
        }
        cross = placement.equals("cross");
        if (!db.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db must be a PostgreSQL JDBC URL (a cluster needs PostgreSQL; "
                    + ".ci/with-postgres starts one and exports DEMOS_IM_TEST_POSTGRES_URL); usage: " + USAGE);
        }
        if (pairs < 1 || window < 1 || warmup < 0 || seconds < 1 || drain < 1 || pool < 1) {
            throw new IllegalArgumentException("counts and times must be positive; usage: " + USAGE);
        }
    }

    /**
     * Runs the measurements.
     *
     * @param args see the class comment
     * @throws Exception if a process, a connection or a server fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "db", "nodes", "pairs", "window", "rate", "placement", "warmup", "seconds",
                "drain", "pool", "transport", "json", "table");
        Quiet.logs();
        ClusterLoad load = new ClusterLoad(a);
        int[] nodeCounts = Arrays.stream(a.text("nodes", "1,2,3").split(",")).mapToInt(Integer::parseInt).toArray();
        int rate = a.number("rate", 500);
        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        for (int n : nodeCounts) {
            results.add(load.run(n, 0));
        }
        int most = Arrays.stream(nodeCounts).max().orElse(1);
        results.add(load.run(most, rate));
        String loadAfter = loadAverage();
        StringBuilder runs = new StringBuilder();
        for (Result r : results) {
            runs.append(runs.length() == 0 ? "" : ",").append(r.json);
        }
        String json = String.format(Locale.ROOT, "{\"transport\":\"%s\",\"serverMode\":\"hardened\",\"database\":"
                + "\"postgresql\",\"rateLimit\":\"off\",\"placement\":\"%s\",\"pairs\":%d,\"window\":%d,"
                + "\"warmupSeconds\":%d,\"seconds\":%d,\"loadBefore\":\"%s\",\"loadAfter\":\"%s\",\"date\":\"%s\","
                + "\"runs\":[%s]}", load.transport, load.cross ? "cross" : "same", load.pairs, load.window,
                load.warmup, load.seconds, loadBefore, loadAfter, Instant.now(), runs);
        System.out.println(json);
        String file = a.text("json", null);
        if (file != null) {
            LatencyRun.write(Path.of(file), json);
        }
        String table = load.table(results, loadBefore, loadAfter);
        System.err.print(table);
        String tableFile = a.text("table", null);
        if (tableFile != null) {
            LatencyRun.write(Path.of(tableFile), table);
        }
    }

    /** One run's figures, for the table, and its JSON. */
    private record Result(int nodes, int rate, double deliveredPerSecond, double cpuUsPerMessage, String ack,
            String delivery, long unfinished, long samples, String json) {
    }

    /** A closed loop ({@code rate} 0) or an open loop at {@code rate} msg/s over {@code nodes} fresh nodes. */
    private Result run(int nodes, int rate) throws Exception {
        boolean open = rate > 0;
        String name = nodes + (nodes == 1 ? " node, " : " nodes, ") + (open ? rate + " msg/s" : "closed loop");
        int capacity = (warmup + seconds) * (open ? rate : CLOSED_LOOP_CAPACITY_PER_SECOND);
        List<Forked> servers = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                // each node empties the message tables as it starts (BenchServer), before any traffic
                servers.add(Forked.start(ServerProcess.class, null, List.of(), "--rate-limit", "off", "--db", db));
            }
            List<URI> uris = servers.stream().map(Forked::uri).toList();
            try (RawPairs p = RawPairs.connect(i -> uris.get(i % nodes),
                    i -> uris.get((i + (cross && rate > 0 ? 1 : 0)) % nodes), transport, pairs, pool, capacity)) {
                return measure(p, servers, name, nodes, rate, capacity);
            }
        } finally {
            for (Forked f : servers) {
                f.close();
            }
        }
    }

    private Result measure(RawPairs p, List<Forked> servers, String name, int nodes, int rate, int capacity)
            throws Exception {
        boolean open = rate > 0;
        AtomicInteger nextSeq = new AtomicInteger();
        AtomicLong[] issued = new AtomicLong[pairs];
        Arrays.setAll(issued, i -> new AtomicLong());
        AtomicBoolean running = new AtomicBoolean(true);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
        p.window(windowStart, windowEnd);
        int[] seqWindow = new int[2];
        long[] cpu = new long[2];
        Thread progress = progress(name, p, start);
        try {
            if (open) {
                int warmupCount = warmup * rate;
                seqWindow[0] = warmupCount;
                seqWindow[1] = capacity;
                for (int i = 0; i < capacity && p.failure() == null; i++) {
                    long due = start + i * TimeUnit.SECONDS.toNanos(1) / rate;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (i == warmupCount) {
                        cpu[0] = cpu(servers);
                    }
                    p.send(i % pairs, i, due);
                }
                sleepUntil(windowEnd);
                cpu[1] = cpu(servers);
            } else {
                p.onProgress(pair -> p.refill(pair, window, issued[pair], nextSeq, running));
                for (int i = 0; i < pairs; i++) {
                    p.refill(i, window, issued[i], nextSeq, running);
                }
                sleepUntil(windowStart);
                cpu[0] = cpu(servers);
                seqWindow[0] = nextSeq.get();
                sleepUntil(windowEnd);
                cpu[1] = cpu(servers);
                seqWindow[1] = Math.min(nextSeq.get(), capacity);
                running.set(false);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
            while (p.failure() == null && System.nanoTime() < deadline
                    && (p.totalAcked() < p.totalSent() || p.totalDelivered() < p.totalSent())) {
                Thread.sleep(50);
            }
        } finally {
            progress.interrupt();
        }
        if (p.failure() != null) {
            String f = p.failure();
            throw new IllegalStateException(name + ": " + f + (f.contains("message_queued") ? " (the server did not "
                    + "route the message to the recipient's node: no routing between nodes in this build; run with "
                    + "--placement same)" : ""));
        }
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
        double perSecond = delivered / (double) seconds;
        double cpuUs = delivered == 0 ? Double.NaN : (cpu[1] - cpu[0]) / 1e3 / delivered;
        String ackP = LatencyRun.percentiles(ack);
        String deliveryP = LatencyRun.percentiles(delivery);
        String json = String.format(Locale.ROOT, "{\"nodes\":%d,\"run\":\"%s\",\"offeredRate\":%s,\"samples\":%d,"
                + "\"unfinished\":%d,\"sent\":%d,\"acked\":%d,\"delivered\":%d,\"deliveredInWindow\":%d,"
                + "\"deliveredPerSecond\":%.1f,\"serverCpuSeconds\":%.2f,\"serverCpuUsPerDelivered\":%s,"
                + "\"duplicates\":%d,\"ack\":%s,\"delivery\":%s}", nodes, open ? "open" : "closed",
                open ? rate : "null", n, unfinished, p.totalSent(), p.totalAcked(), p.totalDelivered(), delivered,
                perSecond, (cpu[1] - cpu[0]) / 1e9, Double.isNaN(cpuUs) ? "null" : String.format(Locale.ROOT,
                        "%.1f", cpuUs), p.duplicates(), ackP, deliveryP);
        return new Result(nodes, rate, perSecond, cpuUs, ackP, deliveryP, unfinished, n, json);
    }

    private String table(List<Result> results, String loadBefore, String loadAfter) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "| nodes | run | delivered msg/s | cluster CPU µs/msg | ack p50 | ack p99 | "
                + "delivery p50 | delivery p99 | unfinished |%n|---|---|---|---|---|---|---|---|---|%n"));
        for (Result r : results) {
            t.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %s | %s | %s | %s | %s | %d of %d |%n", r.nodes,
                    r.rate == 0 ? "closed loop, " + window + " in flight per pair" : "open loop, " + r.rate
                            + " msg/s, " + (cross ? "every message across nodes" : "pairs within a node"),
                    r.deliveredPerSecond, Double.isNaN(r.cpuUsPerMessage) ? "—" : String.format(Locale.ROOT, "%.0f",
                            r.cpuUsPerMessage), ms(r.ack, "p50Us"), ms(r.ack, "p99Us"), ms(r.delivery, "p50Us"),
                    ms(r.delivery, "p99Us"), r.unfinished, r.samples));
        }
        t.append(String.format(Locale.ROOT, "%n%d pairs round-robin over the nodes (sender and recipient on one "
                + "node%s), hardened, rate limit off, %s transport, one PostgreSQL; %d s warm-up, %d s measured per "
                + "run; load average before %s, after %s; %s%n", pairs, cross ? ", except in the open loop: "
                        + "recipient on the next node" : "", transport, warmup, seconds, loadBefore, loadAfter,
                Instant.now()));
        return t.toString();
    }

    /** A percentile of {@link LatencyRun#percentiles}'s JSON in milliseconds, or — where unfinished. */
    private static String ms(String percentiles, String field) {
        int at = percentiles.indexOf("\"" + field + "\":") + field.length() + 3;
        String v = percentiles.substring(at, percentiles.indexOf(',', at));
        return v.equals("null") ? "—" : String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(v) / 1e3);
    }

    private static long cpu(List<Forked> servers) {
        return servers.stream().mapToLong(Forked::cpuNanos).sum();
    }

    private static Thread progress(String name, RawPairs p, long start) {
        Thread t = new Thread(() -> {
            long last = 0;
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                long delivered = p.totalDelivered();
                System.err.printf(Locale.ROOT, "[%s] %3ds  sent %,d  acked %,d  delivered %,d  %,d delivered/s%n",
                        name, TimeUnit.NANOSECONDS.toSeconds(Math.max(0, System.nanoTime() - start)), p.totalSent(),
                        p.totalAcked(), delivered, delivered - last);
                last = delivered;
            }
        }, "cluster-load-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
