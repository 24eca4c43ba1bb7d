package io.github.demosim.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A {@link BenchServer} (hardened, H2 file, default rate limit unless {@code --rate-limit off}) in a process of its
 * own, so that its heap holds nothing but the server: {@link IdleConnectionMemory} forks it and reads its memory
 * through stdin/stdout; {@link ServerLoad} forks it (optionally pinned to a core) and reads its CPU time from
 * {@code /proc}.
 *
 * <p>Prints {@code READY <uri>}, then answers each line on stdin: {@code measure} → a full GC (three times,
 * settling) and {@code MEMORY <heap used> <direct buffers> <resident set> <open descriptors>} (bytes, then a
 * count; -1 where unknown); {@code histogram <file>} → the live objects by class ({@code jcmd GC.class_histogram},
 * after a full GC) written to that file, and {@code HISTOGRAM <file>}; {@code quit} or the end of stdin → stop.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    /**
     * Runs the server until stdin closes.
     *
     * @param args {@code [--rate-limit on|off]}: the hardened default per-connection rate limit (on), or none;
     *     {@code [--db JDBC_URL]}: that database (its tables are dropped first) instead of a fresh H2 file;
     *     {@code [--commit-delay MS]}: the store's commit delay instead of the server's default;
     *     {@code [--batch-interval MS] [--finality-delay MS]}: the L2PS pipeline's, likewise
     * @throws Exception if the server fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "ServerProcess [--rate-limit on|off] [--db JDBC_URL] [--commit-delay MS] "
                + "[--batch-interval MS] [--finality-delay MS]",
                "rate-limit", "db", "commit-delay", "batch-interval", "finality-delay");
        String rateLimit = a.text("rate-limit", "on");
        String db = a.text("db", "");
        if (!rateLimit.equals("on") && !rateLimit.equals("off")) {
            throw new IllegalArgumentException("--rate-limit must be on or off, got '" + rateLimit + "'");
        }
        try (BenchServer server = BenchServer.start(rateLimit.equals("on"), db.isEmpty() ? null : db,
                BenchServer.Tuning.of(a))) {
            System.out.println("READY " + server.uri());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (line.equals("measure")) {
                    System.out.println(measure());
                } else if (line.startsWith("histogram ")) {
                    Path file = Path.of(line.substring("histogram ".length()));
                    Files.writeString(file, histogram());
                    System.out.println("HISTOGRAM " + file);
                } else {
                    System.out.println("ERROR unknown command '" + line + "'; use measure, histogram <file> or quit");
                }
                System.out.flush();
            }
        }
    }

    private static String measure() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc(); // G1: a full collection, so what remains is live
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return String.format(Locale.ROOT, "MEMORY %d %d %d %d", heap, direct, residentSetBytes(), descriptors());
    }

    /** What {@code jcmd <pid> GC.class_histogram} prints for this process, through the same diagnostic command. */
    private static String histogram() throws javax.management.JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /** Open file descriptors of this process (sockets included), or -1 where /proc is not there. */
    private static long descriptors() {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** VmRSS of this process (Linux), or -1 where /proc is not there. */
    private static long residentSetBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
