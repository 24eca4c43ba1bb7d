package io.github.demosim.bench;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.FrameCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server memory per idle registered L2PS connection. The server runs alone in a forked JVM
 * ({@link ServerProcess}: hardened, H2 file); this process opens the connections with the JDK's own WebSocket
 * client (light: no thread per connection), registers each with its own identity exactly as
 * {@link L2psMessagingPeer} does (proof, ML-KEM key for the key directory, the three features), waits until
 * every {@code registered} and {@code peer_joined} has arrived, and asks the server for its heap after a full GC.
 *
 * <p>Per connection = (heap with the connections − heap before them) / connections. The baseline is taken after a
 * warm-up round of connections has come and gone, so class loading and pools are not counted. What a connection
 * leaves behind after it closes (key directory row, database cache) is measured too.
 *
 * <p>With {@code --histogram prefix}, the server's live objects by class are written to {@code prefix-before.txt}
 * and {@code prefix-with.txt} (as {@code jcmd GC.class_histogram} prints them) beside the two measurements: what a
 * connection is made of, to compare across commits when the figure moves.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.IdleConnectionMemory [--connections 1000]
 * [--json file] [--histogram prefix]}
 */
public final class IdleConnectionMemory {
    private static final String USAGE = "IdleConnectionMemory [--connections n] [--json file] [--histogram prefix]";
    private static final int WARMUP_CONNECTIONS = 50;
    private static final int IN_FLIGHT = 50;

    private final FrameCodec codec = CodecProvider.find().create();
    private final CryptoProvider provider = CryptoProvider.find();
    private final DemosCrypto crypto = DemosCrypto.create(provider);
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong frames = new AtomicLong();
    private int identities;

    private IdleConnectionMemory() {
    }

    /**
     * Runs the measurement.
     *
     * @param args see the class comment
     * @throws Exception if the server or a connection fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "connections", "json", "histogram");
        int count = a.number("connections", 1000);
        if (count < 1) {
            throw new IllegalArgumentException("--connections must be positive; usage: " + USAGE);
        }
        String histograms = a.text("histogram", null);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8));
                PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("the server process did not start: " + ready);
            }
            URI uri = URI.create(ready.substring("READY ".length()));
            IdleConnectionMemory run = new IdleConnectionMemory();

            run.closeAll(run.open(uri, WARMUP_CONNECTIONS));
            // The first histogram starts the server's platform MBean server: taken before the baseline, so that
            // what that keeps is in both measurements (the histogram's own text is garbage by the next full GC).
            histogram(in, out, histograms, "before");
            long[] before = measure(in, out);
            List<WebSocket> open = run.open(uri, count);
            long[] with = measure(in, out);
            histogram(in, out, histograms, "with");
            run.closeAll(open);
            long[] after = measure(in, out);

            String json = String.format(Locale.ROOT, "{\"connections\":%d,\"heapBefore\":%d,\"heapWith\":%d,"
                    + "\"heapAfterClose\":%d,\"heapPerConnection\":%.0f,\"heapLeftPerClosedConnection\":%.0f,"
                    + "\"directPerConnection\":%.0f,\"rssPerConnection\":%.0f}", count, before[0], with[0], after[0],
                    (with[0] - before[0]) / (double) count, (after[0] - before[0]) / (double) count,
                    (with[1] - before[1]) / (double) count, (with[2] - before[2]) / (double) count);
            System.out.println(json);
            String file = a.text("json", null);
            if (file != null) {
                LatencyRun.write(Path.of(file), json);
            }
            in.println("quit");
        } finally {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static long[] measure(PrintWriter in, BufferedReader out) throws java.io.IOException {
        in.println("measure");
        String line = out.readLine();
        if (line == null || !line.startsWith("MEMORY ")) {
            throw new IllegalStateException("the server process answered " + line);
        }
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    /** Has the server write its class histogram to {@code prefix-name.txt}, unless no prefix was given. */
    private static void histogram(PrintWriter in, BufferedReader out, String prefix, String name)
            throws java.io.IOException {
        if (prefix == null) {
            return;
        }
        Path file = Path.of(prefix + "-" + name + ".txt").toAbsolutePath();
        in.println("histogram " + file);
        String line = out.readLine();
        if (line == null || !line.startsWith("HISTOGRAM ")) {
            throw new IllegalStateException("the server process answered " + line);
        }
        System.err.println("class histogram " + name + " the connections: " + file);
    }

    /** Opens and registers {@code count} connections, then waits until the server has nothing more to send. */
    private List<WebSocket> open(URI uri, int count) throws Exception {
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Identity identity = nextIdentity();
            CompletableFuture<Void> registered = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, new Client(registered)).get(10, TimeUnit.SECONDS);
            long ts = System.currentTimeMillis();
            ws.sendText(codec.encode(new Register(identity.ed25519PublicKeyHex(), DemosImServer.DEFAULT_L2PS_UID,
                    crypto.signL2psRegisterProof(identity, ts), identity.mlKemPublicKey().toBase64(),
                    List.of(L2psMessagingPeer.FEATURE_ACK, L2psMessagingPeer.FEATURE_MESSAGE_STATUS,
                            L2psMessagingPeer.FEATURE_KEY_DIRECTORY), ts, "req_" + ts + "_" + i)), true);
            sockets.add(ws);
            window.add(registered);
            if (window.size() == IN_FLIGHT) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        awaitQuiet();
        return sockets;
    }

    private void closeAll(List<WebSocket> sockets) throws Exception {
        List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
        for (WebSocket ws : sockets) {
            closing.add(ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        awaitQuiet();
        Thread.sleep(1000); // the server finishes its close handshakes and presence updates
    }

    /** Waits until no frame has arrived for a second: the presence broadcasts are over. */
    private void awaitQuiet() throws InterruptedException {
        long last = -1;
        while (frames.get() != last) {
            last = frames.get();
            Thread.sleep(1000);
        }
    }

    private Identity nextIdentity() {
        byte[] seed = BenchInputs.masterSeed();
        int n = identities++;
        seed[0] = 3;
        seed[1] = (byte) n;
        seed[2] = (byte) (n >> 8);
        seed[3] = (byte) (n >> 16);
        return Identity.fromMasterSeed(seed, provider);
    }

    /** Counts frames; completes {@code registered} on the {@code registered} reply, fails it on an error frame. */
    private final class Client implements WebSocket.Listener {
        private final CompletableFuture<Void> registered;
        private final StringBuilder partial = new StringBuilder();

        Client(CompletableFuture<Void> registered) {
            this.registered = registered;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                frames.incrementAndGet();
                if (!registered.isDone()) {
                    if (text.contains("\"type\":\"registered\"")) {
                        registered.complete(null);
                    } else if (text.contains("\"type\":\"error\"")) {
                        registered.completeExceptionally(new IllegalStateException("registration refused: " + text));
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            registered.completeExceptionally(error);
        }
    }
}
