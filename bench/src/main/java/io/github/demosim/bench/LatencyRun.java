package io.github.demosim.bench;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Send→acknowledgement latency at a fixed rate, measured open-loop so that a slow reply cannot hide the
 * messages queued behind it (no coordinated omission).
 *
 * <p>One pacing thread sends message {@code i} at its intended time {@code start + i / rate}, round-robin over
 * the sender/recipient pairs, with {@code sendText} (sealing included, on the pacing thread, as in an
 * application). Latency is taken from the <em>intended</em> send time, not from when the call was made: if the
 * pacer or the client falls behind, every message it delays counts as late. Two latencies per message:
 * <ul>
 *   <li>{@code ack}: until the sender's {@code sendText} future completes with the server's {@code message_sent}
 *       (the hardened server answers once the message is persisted and written to the recipient);</li>
 *   <li>{@code delivery}: until the recipient's message listener has it, decrypted.</li>
 * </ul>
 * Every sample is kept (no histogram buckets), so the percentiles are exact. The first {@code --warmup} seconds
 * run at the same rate and are not recorded. When the offered rate exceeds what the system can do, the queue
 * grows without bound: sends that time out (the peer's 15-s send timeout) count as never acknowledged, the
 * percentiles they cover are reported as {@code null}, and {@code timeouts} says how many there were. The server is {@link BenchServer}: hardened, H2 file, with the
 * default per-connection rate limit unless the per-connection rate would exceed it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.demosim.bench.LatencyRun [--transport java-websocket]
 * [--rate 1000] [--pairs 16] [--warmup 10] [--seconds 30] [--database h2-file] [--json file]}
 */
public final class LatencyRun {
    private static final String USAGE = "LatencyRun [--transport jdk|java-websocket|tyrus] [--rate msgs/s] [--pairs n]"
            + " [--warmup s] [--seconds s] [--database h2-file|h2-memory] [--json file]";
    /** The hardened default, 100 frames/s per connection, with room for the sender's other frames. */
    private static final int RATE_LIMIT_HEADROOM = 80;
    /** A latency that was never observed: the message was not acknowledged (or delivered) within the timeout. */
    private static final long NEVER = Long.MAX_VALUE;

    private LatencyRun() {
    }

    /**
     * Runs the measurement and prints the percentiles.
     *
     * @param args see the class comment
     * @throws Exception if the server or the peers fail
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, USAGE, "transport", "rate", "pairs", "warmup", "seconds", "database", "json");
        String database = a.text("database", "h2-file");
        String transport = a.text("transport", "java-websocket");
        int rate = a.number("rate", 1000);
        int pairCount = a.number("pairs", 16);
        int warmupSeconds = a.number("warmup", 10);
        int seconds = a.number("seconds", 30);
        if (rate < 1 || pairCount < 1 || warmupSeconds < 0 || seconds < 1) {
            throw new IllegalArgumentException("rate, pairs and seconds must be positive; usage: " + USAGE);
        }
        boolean rateLimited = rate / (double) pairCount <= RATE_LIMIT_HEADROOM;
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        int warmupCount = warmupSeconds * rate;
        int total = warmupCount + seconds * rate;

        long[] ack = new long[total];
        long[] delivery = new long[total];
        Arrays.fill(ack, NEVER);
        Arrays.fill(delivery, NEVER);
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        AtomicLong timeouts = new AtomicLong();
        CountDownLatch acknowledged = new CountDownLatch(total);
        long[] start = new long[1];

        try (BenchServer server = BenchServer.start(rateLimited, BenchServer.Database.of(database));
                PeerPairs pairs = PeerPairs.connect(server.uri(), transport, pairCount, (pair, m) -> {
                    int seq = sequenceOf(m);
                    delivery[seq] = System.nanoTime() - (start[0] + seq * periodNanos);
                })) {
            start[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            for (int i = 0; i < total && fatal.get() == null; i++) {
                long intended = start[0] + i * periodNanos;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                PeerPairs.Pair p = pairs.pairs().get(i % pairCount);
                int seq = i;
                p.sender().sendText(p.recipientKey(), p.recipientKem(), BenchInputs.chatLine(seq + ":",
                        EndToEndBenchmark.TEXT_BYTES)).whenComplete((result, e) -> {
                            Throwable cause = e instanceof CompletionException && e.getCause() != null
                                    ? e.getCause() : e;
                            if (cause instanceof ImException im && im.code() == ErrorCode.REQUEST_TIMEOUT) {
                                timeouts.incrementAndGet(); // saturated: counts as never acknowledged
                            } else if (cause != null) {
                                fatal.compareAndSet(null, cause);
                            } else if (result.outcome() != SendOutcome.DELIVERED) {
                                fatal.compareAndSet(null, new IllegalStateException("recipient online, yet " + result));
                            } else {
                                ack[seq] = System.nanoTime() - intended;
                            }
                            acknowledged.countDown();
                        });
            }
            // Every send completes within the peer's send timeout (15 s): acknowledged, or timed out.
            if (!acknowledged.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(acknowledged.getCount() + " sends neither completed nor timed out");
            }
            Thread.sleep(500); // deliveries of the last acknowledged messages
        }
        if (fatal.get() != null) {
            throw new IllegalStateException("a send failed (not a timeout)", fatal.get());
        }
        long[] ackSamples = Arrays.copyOfRange(ack, warmupCount, total);
        long[] deliverySamples = Arrays.copyOfRange(delivery, warmupCount, total);
        String json = String.format(Locale.ROOT, "{\"transport\":\"%s\",\"database\":\"%s\",\"rate\":%d,"
                + "\"pairs\":%d,\"seconds\":%d,\"warmupSeconds\":%d,\"rateLimited\":%b,\"samples\":%d,"
                + "\"timeouts\":%d,\"ack\":%s,\"delivery\":%s}",
                transport, database, rate, pairCount, seconds, warmupSeconds, rateLimited, ackSamples.length,
                timeouts.get(), percentiles(ackSamples), percentiles(deliverySamples));
        System.out.println(json);
        String file = a.text("json", null);
        if (file != null) {
            write(Path.of(file), json);
        }
    }

    /** The sequence number the pacer put at the start of the text. */
    private static int sequenceOf(ReceivedMessage m) {
        String text = m.text().orElseThrow(() -> new IllegalStateException("could not decrypt " + m.messageHash()));
        return Integer.parseInt(text.substring(0, text.indexOf(':')));
    }

    /**
     * Exact percentiles in microseconds; {@code null} where the percentile falls on a message that was never
     * acknowledged (or delivered) within the send timeout. {@code unfinished} counts those messages.
     */
    static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long unfinished = Arrays.stream(sorted).filter(n -> n == NEVER).count();
        long[] finished = Arrays.stream(sorted).filter(n -> n != NEVER).toArray();
        return String.format(Locale.ROOT, "{\"p50Us\":%s,\"p90Us\":%s,\"p99Us\":%s,\"p999Us\":%s,"
                + "\"maxUs\":%s,\"meanOfFinishedUs\":%s,\"unfinished\":%d}", at(sorted, 0.50), at(sorted, 0.90),
                at(sorted, 0.99), at(sorted, 0.999), at(sorted, 1.0),
                finished.length == 0 ? "null" : String.format(Locale.ROOT, "%.1f",
                        Arrays.stream(finished).average().orElse(0) / 1e3), unfinished);
    }

    /** The nearest-rank percentile: the smallest sample at or above fraction {@code q} of the samples. */
    private static String at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        long v = sorted[Math.max(0, rank - 1)];
        return v == NEVER ? "null" : String.format(Locale.ROOT, "%.1f", v / 1e3);
    }

    static void write(Path file, String json) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json + System.lineSeparator());
    }
}
