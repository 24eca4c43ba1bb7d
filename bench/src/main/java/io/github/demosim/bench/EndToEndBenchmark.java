package io.github.demosim.bench;

import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Messages per second through this project's server over loopback, as users send them: {@code sendText} with
 * the recipient's ML-KEM key known (so every message is sealed with a fresh ML-KEM-768 encapsulation and
 * AES-256-GCM), a hardened server persisting every message to an H2 file ({@link BenchServer}), recipients that
 * decrypt every message and acknowledge it ({@code ack} feature), senders that get the server's
 * {@code message_sent}. One JMH thread per pair keeps up to {@value #WINDOW} messages in flight (sent, not yet
 * decrypted by the recipient).
 *
 * <p>The score to read is the secondary result {@code delivered}: messages decrypted by recipients per second,
 * summed over the pairs. The primary score counts messages handed to {@code sendText}, which runs ahead of
 * deliveries by up to one window per pair at the start of each iteration.
 *
 * <p>The per-connection rate limit of hardened mode is off ({@link BenchServer#start(boolean)}): at its default
 * (100 frames per second) it, not the server, would set the figure.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EndToEndBenchmark {
    /** Messages in flight per pair. */
    static final int WINDOW = 64;
    /** The plaintext of every message: a 100-byte chat line. */
    static final int TEXT_BYTES = 100;

    /** Accounting of one pair: the window, deliveries, and the first failure. */
    static final class Flow {
        final Semaphore credits = new Semaphore(WINDOW);
        final AtomicLong delivered = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        void delivered(ReceivedMessage m) {
            if (m.text().isEmpty()) {
                failure.compareAndSet(null,
                        new IllegalStateException("recipient could not decrypt " + m.messageHash()));
            }
            delivered.incrementAndGet();
            credits.release();
        }

        void failed(Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The server and one pair per benchmark thread. */
    @State(Scope.Benchmark)
    public static class Network {
        /** The transport provider's name, for every peer. */
        @Param({"jdk", "java-websocket", "tyrus"})
        public String transport;

        /**
         * Where the server keeps messages: {@code h2-file} (durable, the default) or {@code h2-memory} (a
         * diagnostic: what the figure would be without persistence).
         */
        @Param({"h2-file"})
        public String database;

        BenchServer server;
        PeerPairs pairs;
        Flow[] flows;

        /**
         * Starts the server and connects as many pairs as the benchmark has threads.
         *
         * @param params the benchmark's parameters
         */
        @Setup(Level.Trial)
        public void start(BenchmarkParams params) {
            int count = params.getThreads();
            flows = new Flow[count];
            for (int i = 0; i < count; i++) {
                flows[i] = new Flow();
            }
            server = BenchServer.start(false, BenchServer.Database.of(database));
            pairs = PeerPairs.connect(server.uri(), transport, count, (i, m) -> flows[i].delivered(m));
        }

        /** Closes the peers and the server. */
        @TearDown(Level.Trial)
        public void stop() {
            pairs.close();
            server.close();
        }
    }

    /** One benchmark thread's pair; its public method is the {@code delivered} counter. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Sender {
        PeerPairs.Pair pair;
        Flow flow;
        String text;
        long deliveredBefore;

        /**
         * Takes the pair of this thread.
         *
         * @param network the server and pairs
         * @param thread this thread
         */
        @Setup(Level.Trial)
        public void take(Network network, ThreadParams thread) {
            pair = network.pairs.pairs().get(thread.getThreadIndex());
            flow = network.flows[thread.getThreadIndex()];
            text = BenchInputs.chatLine("pair " + pair.index() + ": ", TEXT_BYTES);
        }

        /** Fails the run at the first failed send or undecryptable message; starts counting afresh. */
        @Setup(Level.Iteration)
        public void check() {
            Throwable f = flow.failure.get();
            if (f != null) {
                throw new IllegalStateException("pair " + pair.index() + " failed", f);
            }
            deliveredBefore = flow.delivered.get();
        }

        /**
         * Messages the recipient of this pair decrypted during the iteration.
         *
         * @return the count
         */
        public long delivered() {
            return flow.delivered.get() - deliveredBefore;
        }

        void send() throws InterruptedException {
            flow.credits.acquire();
            pair.sender().sendText(pair.recipientKey(), pair.recipientKem(), text).whenComplete((result, e) -> {
                if (e != null) {
                    flow.failed(e);
                } else if (result.outcome() != SendOutcome.DELIVERED) {
                    flow.failed(new IllegalStateException("the recipient was online, yet " + result));
                }
            });
        }
    }

    /**
     * One sender and one recipient.
     *
     * @param network the server
     * @param sender this thread's pair
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @Threads(1)
    public void onePair(Network network, Sender sender) throws InterruptedException {
        sender.send();
    }

    /**
     * Sixteen senders and sixteen recipients at once.
     *
     * @param network the server
     * @param sender this thread's pair
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @Threads(16)
    public void sixteenPairs(Network network, Sender sender) throws InterruptedException {
        sender.send();
    }
}
