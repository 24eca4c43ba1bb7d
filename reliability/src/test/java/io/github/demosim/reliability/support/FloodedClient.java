package io.github.demosim.reliability.support;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of {@code ClientFloodTests}, run in a JVM of its own with a small heap: an L2PS peer with the default
 * settings on the transport named by {@code args[1]}, connected to {@code args[0]}, with a message listener that
 * takes a millisecond per message (an application that stores each one), so that a flood outpaces it. It
 * prints what an application would see, one line each, and stays up until stdin says {@code exit} (then it closes
 * the peer and exits 0) or ends:
 * <ul>
 *   <li>{@code CONNECTED}, once the first connect completed;</li>
 *   <li>{@code STATE <previous>-><current> [<code of the cause>]} for every connection-state change;</li>
 *   <li>{@code ERROR <code> <message>} for every error event;</li>
 *   <li>{@code MESSAGES <n>} every 1,000 messages received;</li>
 *   <li>{@code UNCAUGHT <thread> <throwable>} if a thread dies of an uncaught throwable.</li>
 * </ul>
 */
public final class FloodedClient {
    private FloodedClient() {
    }

    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> out("UNCAUGHT " + t.getName() + " " + e));
        AtomicLong messages = new AtomicLong();
        try (L2psMessagingPeer peer = Peers.l2ps(URI.create(args[0]), Identity.generate(), args[1]).build()) {
            peer.onMessage(m -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (messages.incrementAndGet() % 1000 == 0) {
                    out("MESSAGES " + messages.get());
                }
            });
            peer.onError(e -> out("ERROR " + e.error().code().id() + " " + firstLine(e.error().getMessage())));
            peer.onConnectionStateChange(c -> out("STATE " + c.previous() + "->" + c.current()
                    + c.cause().map(x -> " " + x.code().id()).orElse("")));
            peer.connect().get(60, TimeUnit.SECONDS);
            out("CONNECTED");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                // wait for the test
            }
        }
        out("EXIT after " + messages.get() + " messages");
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static synchronized void out(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
