package io.github.demosim.bench;

import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a client transport costs per open connection: threads and heap (after a full GC) with {@code n} idle
 * connections open, against an echo server in another process ({@link EchoServer}), and what is left after they
 * closed. A warm-up round of connections comes and goes first, so class loading and shared pools (the jdk
 * transport's HttpClient and its selector thread) count in the baseline, not per connection.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.TransportFootprint --transport jdk
 * [--connections 100] [--json file]}
 */
public final class TransportFootprint {
    private static final String USAGE = "TransportFootprint --transport jdk|java-websocket|tyrus [--connections n]"
            + " [--json file]";

    private TransportFootprint() {
    }

    /**
     * Runs the measurement.
     *
     * @param args see the class comment
     * @throws Exception if the echo server or a connection fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "transport", "connections", "json");
        String transport = a.text("transport", "jdk");
        int count = a.number("connections", 100);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process echo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EchoServer.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(),
                StandardCharsets.UTF_8))) {
            URI uri = URI.create(out.readLine());
            TransportProvider provider = TransportProvider.find(transport);
            closeAll(open(provider, uri, 10));
            Thread.sleep(3_000); // idle pool threads (the timer, the jdk transport's hand-off pool) expire
            long heapBefore = heapAfterGc();
            int threadsBefore = threads();
            List<TransportSession> sessions = open(provider, uri, count);
            long heapWith = heapAfterGc();
            int threadsWith = threads();
            closeAll(sessions);
            sessions.clear(); // what the closed sessions still hold is for the garbage collector to take
            Thread.sleep(3_000);
            long heapAfter = heapAfterGc();
            int threadsAfter = threads();
            double heapPer = (heapWith - heapBefore) / (double) count / 1024;
            double threadsPer = (threadsWith - threadsBefore) / (double) count;
            String line = String.format(Locale.ROOT, "%s: %d connections: %.2f threads and %.1f KiB of heap per"
                    + " connection (threads %d -> %d -> %d after close; heap %.1f -> %.1f -> %.1f MiB)", transport,
                    count, threadsPer, heapPer, threadsBefore, threadsWith, threadsAfter, heapBefore / 1048576.0,
                    heapWith / 1048576.0, heapAfter / 1048576.0);
            System.out.println(line);
            String json = a.text("json", null);
            if (json != null) {
                Files.writeString(Path.of(json), String.format(Locale.ROOT, "{\"transport\":\"%s\",\"connections\":%d,"
                                + "\"threadsPerConnection\":%.3f,\"heapKiBPerConnection\":%.2f,\"threadsBefore\":%d,"
                                + "\"threadsWith\":%d,\"threadsAfter\":%d,\"heapBeforeMiB\":%.2f,\"heapWithMiB\":%.2f,"
                                + "\"heapAfterMiB\":%.2f}%n", transport, count, threadsPer, heapPer, threadsBefore,
                        threadsWith, threadsAfter, heapBefore / 1048576.0, heapWith / 1048576.0,
                        heapAfter / 1048576.0));
            }
        } finally {
            echo.getOutputStream().close(); // the echo server stops when its stdin closes
            echo.waitFor(10, TimeUnit.SECONDS);
            echo.destroy();
        }
    }

    /** Opens {@code n} connections, each echoing one frame, so that every one is fully set up. */
    private static List<TransportSession> open(TransportProvider provider, URI uri, int n) throws Exception {
        List<TransportSession> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<String> echoed = new CompletableFuture<>();
            TransportSession s = provider.connect(TransportOptions.of(uri), new TransportListener() {
                @Override
                public void onText(TransportSession session, String text) {
                    echoed.complete(text);
                }
            }).get(30, TimeUnit.SECONDS);
            s.sendText("hello " + i);
            echoed.get(30, TimeUnit.SECONDS);
            sessions.add(s);
        }
        return sessions;
    }

    private static void closeAll(List<TransportSession> sessions) {
        for (TransportSession s : sessions) {
            s.close(1000, "done").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
