package io.github.demosim.bench;

import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

/**
 * The floor under the end-to-end figures: each client transport against a plain Jetty echo endpoint
 * ({@link EchoServer}) over loopback, with frames the size of a real {@code send} frame (a sealed 100-byte chat
 * line, about 2.6 KB). No codec, no crypto, no database: what is left is the WebSocket stacks and the kernel.
 *
 * <ul>
 *   <li>{@code roundTrip}: send one frame, wait for its echo (sampled times: the report shows the median, p50,
 *       next to the mean);</li>
 *   <li>{@code pipelined}: keep {@value #WINDOW} frames in flight on one connection (echoed frames per second);</li>
 *   <li>{@code pipelined16}: the same on 16 connections at once, one per thread.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TransportBenchmark {
    /** Frames in flight per connection in the pipelined benchmarks, as in {@link EndToEndBenchmark}. */
    static final int WINDOW = 64;

    /**
     * The echo server, one per trial. The last client to close stops it: JMH runs this state's trial teardown
     * as soon as the first thread is done, while other threads may still be draining their connections.
     */
    @State(Scope.Benchmark)
    public static class Echo {
        /**
         * An echo server already running ({@code EchoServer.main} in another process), or empty to start one in
         * this JVM. {@code compare-ts.sh} passes the one Node.js measures against, so both sides use the same
         * endpoint in the same place.
         */
        @Param({""})
        public String echoUri;

        EchoServer server;
        URI uri;
        String frame;
        final AtomicInteger clients = new AtomicInteger();

        /**
         * Starts the server unless one is given; the frame is a real {@code send} frame.
         *
         * @throws Exception if Jetty cannot start
         */
        @Setup(Level.Trial)
        public void start() throws Exception {
            if (echoUri.isEmpty()) {
                server = EchoServer.start();
                uri = server.uri();
            } else {
                uri = URI.create(echoUri);
            }
            frame = CodecProvider.find().create().encode(RealisticFrames.all().get("l2ps-client/send").frame());
        }

        /** Stops the server if no client is connected any more (else the last one does). */
        @TearDown(Level.Trial)
        public void stop() {
            if (clients.get() == 0) {
                stopServer();
            }
        }

        void stopServer() {
            if (server != null) {
                server.close();
            }
        }
    }

    /** One client connection per benchmark thread, with a window of frames in flight. */
    @State(Scope.Thread)
    public static class Client {
        /** The transport provider's name. */
        @Param({"jdk", "java-websocket", "tyrus"})
        public String transport;

        Echo echo;
        TransportSession session;
        final Semaphore credits = new Semaphore(WINDOW);
        final Semaphore echoes = new Semaphore(0);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        /**
         * Connects to the echo server.
         *
         * @param echo the server
         * @throws Exception if the connection fails
         */
        @Setup(Level.Trial)
        public void connect(Echo echo) throws Exception {
            this.echo = echo;
            echo.clients.incrementAndGet();
            session = TransportProvider.find(transport).connect(TransportOptions.of(echo.uri),
                    new TransportListener() {
                        @Override
                        public void onText(TransportSession s, String text) {
                            echoes.release();
                            credits.release();
                        }

                        @Override
                        public void onError(TransportSession s, io.github.demosim.TransportException error) {
                            failure.compareAndSet(null, error);
                        }
                    }).get(10, TimeUnit.SECONDS);
        }

        /**
         * Waits for the frames still in flight, so that the next iteration starts from an idle connection, and
         * fails the run if any frame was lost or a write failed.
         *
         * @throws InterruptedException if interrupted
         */
        @TearDown(Level.Iteration)
        public void drain() throws InterruptedException {
            boolean drained = credits.tryAcquire(WINDOW, 30, TimeUnit.SECONDS);
            Throwable f = failure.get();
            if (f != null) {
                throw new IllegalStateException(transport + " failed", f);
            }
            if (!drained) {
                throw new IllegalStateException(transport + ": " + (WINDOW - credits.availablePermits())
                        + " frames were never echoed; session open: " + session.isOpen());
            }
            credits.release(WINDOW);
            echoes.drainPermits();
        }

        /** Closes the connection; the last client stops the echo server. */
        @TearDown(Level.Trial)
        public void close() {
            session.close(1000, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            if (echo.clients.decrementAndGet() == 0) {
                echo.stopServer();
            }
        }

        void send(String frame) {
            session.sendText(frame).whenComplete((v, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
    }

    /**
     * Sends a frame and waits for its echo.
     *
     * @param echo the server and frame
     * @param client the connection
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void roundTrip(Echo echo, Client client) throws InterruptedException {
        client.credits.acquire();
        client.send(echo.frame);
        client.echoes.acquire();
    }

    /**
     * Sends a frame as soon as fewer than {@value #WINDOW} are in flight.
     *
     * @param echo the server and frame
     * @param client the connection
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void pipelined(Echo echo, Client client) throws InterruptedException {
        client.credits.acquire();
        client.send(echo.frame);
    }

    /**
     * {@link #pipelined} on 16 connections at once; the score is the sum over the connections.
     *
     * @param echo the server and frame
     * @param client this thread's connection
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(16)
    public void pipelined16(Echo echo, Client client) throws InterruptedException {
        client.credits.acquire();
        client.send(echo.frame);
    }
}
