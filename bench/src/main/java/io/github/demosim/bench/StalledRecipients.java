package io.github.demosim.bench;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.FrameCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bystander's {@code discover} latency while recipients that read nothing are flooded (issue 14 item 3). The
 * server ({@link ServerProcess}: hardened, H2 file, default limits but the per-address ones) runs in a forked
 * JVM. {@code --recipients} clients register and then read nothing, on sockets with a 16 KiB receive buffer, so
 * what the server writes them stays with the server; as many attackers each send 128 KiB messages to one of them
 * as fast as the server takes them (a hardened send is answered at its commit and never waits on its recipient,
 * issue 16; a recipient is closed with 1008 once 16 MiB wait for it, and its messages go back to its queue). After a
 * warm-up, a bystander sends {@code discover} every 10 ms for {@code --seconds} and times each round trip; every
 * sample is kept, so the percentiles are exact. The server's heap after GC and open descriptors are read during
 * the attack.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.StalledRecipients [--recipients 16]
 * [--warmup 10] [--seconds 30] [--json file]}
 */
public final class StalledRecipients {
    private static final String USAGE = "StalledRecipients [--recipients n] [--warmup s] [--seconds s] [--json file]";
    private static final int SMALL_RECEIVE_BUFFER = 16 * 1024;

    private final FrameCodec codec = CodecProvider.find().create();
    private final DemosCrypto crypto = DemosCrypto.create(CryptoProvider.find());
    private final AtomicLong attackSends = new AtomicLong();
    private final AtomicLong attackAnswers = new AtomicLong();
    private volatile boolean attacking = true;

    private StalledRecipients() {
    }

    /**
     * Runs the measurement.
     *
     * @param args see the class comment
     * @throws Exception if the server or a connection fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "recipients", "warmup", "seconds", "json");
        int recipients = a.number("recipients", 16);
        int warmup = a.number("warmup", 10);
        int seconds = a.number("seconds", 30);
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
            String json = new StalledRecipients().run(uri, recipients, warmup, seconds, in, out);
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

    private String run(URI uri, int recipients, int warmup, int seconds, PrintWriter in, BufferedReader out)
            throws Exception {
        String[] idle = measure(in, out);
        List<RawWebSocket> open = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            Identity victim = Identity.generate();
            RawWebSocket r = RawWebSocket.connect(uri, SMALL_RECEIVE_BUFFER);
            register(r, victim);
            open.add(r); // and never read again
            RawWebSocket attacker = RawWebSocket.connect(uri, 0);
            register(attacker, Identity.generate());
            open.add(attacker);
            startAttack(attacker, victim.ed25519PublicKeyHex(), i);
        }
        Thread.sleep(warmup * 1000L);
        RawWebSocket bystander = RawWebSocket.connect(uri, 0);
        register(bystander, Identity.generate());
        long[] samples = new long[seconds * 100];
        int n = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String[] during = null;
        while (System.nanoTime() < end && n < samples.length) {
            String requestId = "d" + n;
            long t0 = System.nanoTime();
            bystander.send(codec.encode(new Discover(System.currentTimeMillis(), requestId)));
            String reply;
            do {
                reply = bystander.read();
                if (reply == null) {
                    throw new IllegalStateException("the bystander's connection closed");
                }
            } while (!reply.contains("\"discover_response\""));
            samples[n++] = System.nanoTime() - t0;
            if (n == samples.length / 2) {
                during = measure(in, out);
            }
            Thread.sleep(10);
        }
        attacking = false;
        bystander.close();
        for (RawWebSocket s : open) {
            s.close();
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        if (during == null) {
            during = measure(in, out);
        }
        return String.format(Locale.ROOT, "{\"recipients\":%d,\"attackers\":%d,\"seconds\":%d,\"samples\":%d,"
                + "\"discoverP50Ms\":%.2f,\"discoverP90Ms\":%.2f,\"discoverP99Ms\":%.2f,\"discoverMaxMs\":%.2f,"
                + "\"attackSends\":%d,\"attackAnswers\":%d,\"serverIdleHeapMiB\":%.1f,\"serverIdleFds\":%s,"
                + "\"serverHeapMiB\":%.1f,\"serverFds\":%s}", recipients, recipients, seconds, n, at(sorted, 0.5),
                at(sorted, 0.9), at(sorted, 0.99), at(sorted, 1.0), attackSends.get(), attackAnswers.get(),
                Long.parseLong(idle[1]) / 1048576.0, idle[4], Long.parseLong(during[1]) / 1048576.0, during[4]);
    }

    private void register(RawWebSocket ws, Identity id) throws IOException {
        long ts = System.currentTimeMillis();
        ws.send(codec.encode(new Register(id.ed25519PublicKeyHex(), DemosImServer.DEFAULT_L2PS_UID,
                crypto.signL2psRegisterProof(id, ts), null, List.of(), ts, null)));
        String reply;
        do {
            reply = ws.read();
            if (reply == null || reply.contains("\"error\"")) {
                throw new IllegalStateException("registration failed: " + reply);
            }
        } while (!reply.contains("\"registered\""));
    }

    /** One attacker: a writer that sends 128 KiB messages as fast as the server reads them, a reader for answers. */
    private void startAttack(RawWebSocket attacker, String to, int index) {
        Thread writer = new Thread(() -> {
            byte[] bytes = new byte[98_304];
            try {
                while (attacking) {
                    ThreadLocalRandom.current().nextBytes(bytes);
                    String hash = UUID.randomUUID().toString() + UUID.randomUUID();
                    attacker.send(codec.encode(new Send(to, new Encrypted(Base64.getEncoder().encodeToString(bytes),
                            "bm9uY2U=", null, Map.of()), hash, System.currentTimeMillis(), null)));
                    attackSends.incrementAndGet();
                }
            } catch (IOException closed) {
                // the measurement is over
            }
        }, "attacker-writer-" + index);
        Thread reader = new Thread(() -> {
            try {
                while (attacker.read() != null) {
                    attackAnswers.incrementAndGet();
                }
            } catch (IOException closed) {
                // the measurement is over
            }
        }, "attacker-reader-" + index);
        writer.setDaemon(true);
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    private static String[] measure(PrintWriter in, BufferedReader out) throws IOException {
        in.println("measure");
        String line = out.readLine();
        if (line == null || !line.startsWith("MEMORY ")) {
            throw new IllegalStateException("the server process answered " + line);
        }
        String[] parts = line.split(" ");
        return parts.length > 4 ? parts : Arrays.copyOf(new String[] {parts[0], parts[1], parts[2], parts[3], "-1"}, 5);
    }

    private static double at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
