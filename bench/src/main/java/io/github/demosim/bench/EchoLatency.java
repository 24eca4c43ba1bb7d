package io.github.demosim.bench;

import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The latency floor under {@link ServerLoad}'s open loops: the same generator, transport and frames against
 * {@link EchoServer} in its own process, at the same fixed rate. What a send→reply latency on this machine costs
 * before the server does anything: two socket hops, Jetty's and the transport's threads, both JVMs' collectors and
 * the scheduler of a shared machine. So a latency target for the server can be read against it.
 *
 * <p>Message {@code i} is due at {@code start + i / rate}, round-robin over the connections, and its latency counts
 * from when it was due (no coordinated omission). One connection's echoes come back in the order it sent, so each
 * echo is matched to the oldest frame its connection has in flight.
 */
final class EchoLatency {
    /** A frame without an echo by the end of the drain. */
    private static final long NEVER = Long.MAX_VALUE;

    private EchoLatency() {
    }

    /**
     * Runs one open loop against a fresh echo process.
     *
     * @param transport the client transport
     * @param connections connections, round-robin
     * @param rate frames per second
     * @param warmup seconds not recorded
     * @param seconds seconds recorded
     * @param cpus the echo process's CPU list for {@code taskset}, or {@code null}
     * @return the run as JSON, as {@link ServerLoad} prints its runs
     * @throws Exception if the process or a connection fails
     */
    static String run(String transport, int connections, int rate, int warmup, int seconds, String cpus)
            throws Exception {
        String frame = CodecProvider.find().create().encode(RealisticFrames.all().get("l2ps-client/send").frame());
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        int warmupCount = warmup * rate;
        int total = warmupCount + seconds * rate;
        // Written by the transports' threads, read by this one: atomic, so that every echo seen is counted.
        AtomicLongArray latency = new AtomicLongArray(total);
        for (int i = 0; i < total; i++) {
            latency.set(i, NEVER);
        }
        AtomicLong start = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<TransportSession> sessions = new ArrayList<>();
        List<ArrayDeque<Integer>> inFlight = new ArrayList<>();
        try (Forked echo = Forked.start(EchoServer.class, cpus, List.of())) {
            for (int c = 0; c < connections; c++) {
                ArrayDeque<Integer> mine = new ArrayDeque<>();
                inFlight.add(mine);
                sessions.add(TransportProvider.find(transport).connect(TransportOptions.of(echo.uri()),
                        new TransportListener() {
                            @Override
                            public void onText(TransportSession s, String text) {
                                long now = System.nanoTime();
                                Integer seq;
                                synchronized (mine) {
                                    seq = mine.poll();
                                }
                                if (seq != null) {
                                    latency.set(seq, now - (start.get() + seq * period));
                                }
                            }

                            @Override
                            public void onError(TransportSession s, io.github.demosim.TransportException e) {
                                failure.compareAndSet(null, e);
                            }
                        }).get(10, TimeUnit.SECONDS));
            }
            start.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
            long lastReport = start.get();
            for (int i = 0; i < total && failure.get() == null; i++) {
                long due = start.get() + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int c = i % connections;
                synchronized (inFlight.get(c)) {
                    inFlight.get(c).add(i);
                }
                sessions.get(c).sendText(frame).whenComplete((v, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                if (due - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
                    lastReport = due;
                    System.err.printf(Locale.ROOT, "[echo at %d/s] %3ds  %,d sent%n", rate,
                            TimeUnit.NANOSECONDS.toSeconds(due - start.get()), i + 1);
                }
            }
            Thread.sleep(1000); // the last echoes
            for (TransportSession s : sessions) {
                s.close(1000, "done").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("echo at " + rate + "/s: " + failure.get(), failure.get());
        }
        long[] window = new long[total - warmupCount];
        Arrays.setAll(window, i -> latency.get(warmupCount + i));
        return String.format(Locale.ROOT, "{\"run\":\"floor@%d\",\"connections\":%d,\"frameChars\":%d,"
                + "\"samples\":%d,\"echo\":%s}", rate, connections, frame.length(), window.length,
                LatencyRun.percentiles(window));
    }
}
