package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demos-im listen}: connects and prints every message it can decrypt. */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Connect and print each message received (offline deliveries first), decrypted.",
                "Exit status 0 when --count messages arrived (or, without --count, at --timeout); 1 if --count was not reached."})
final class ListenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N messages. Default: no limit.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this long. Default: no limit.")
    Long timeoutSeconds;

    @Option(names = "--json", description = "One JSON object per message: from, text, offline, messageHash.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Identity identity = client.identity.identity();
        PrintWriter out = spec.commandLine().getOut();
        int wanted = count == null ? Integer.MAX_VALUE : count;
        CountDownLatch remaining = new CountDownLatch(count == null ? 1 : Math.max(count, 0));
        Object lock = new Object();
        int[] seen = {0};
        if (client.legacy()) {
            try (MessagingPeer peer = client.legacyPeer(identity)) {
                peer.onMessage(m -> emit(out, lock, seen, wanted, remaining, m.fromId(), m.text(), m.offline(), null));
                peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
                announce(peer.clientId());
                return await(remaining, seen);
            }
        }
        try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
            peer.onMessage(m -> emit(out, lock, seen, wanted, remaining, m.from(),
                    m.text().orElse(null), m.offline(), m.messageHash()));
            peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
            announce(peer.publicKey());
            return await(remaining, seen);
        }
    }

    private void announce(String who) {
        if (!json) {
            spec.commandLine().getErr().println("listening as " + who + " on " + client.serverUri()
                    + (count == null ? "" : " for " + count + " message(s)")
                    + (timeoutSeconds == null ? "" : ", at most " + timeoutSeconds + " s"));
            spec.commandLine().getErr().flush();
        }
    }

    private int await(CountDownLatch remaining, int[] seen) throws InterruptedException {
        boolean done = timeoutSeconds == null ? awaitForever(remaining) : remaining.await(timeoutSeconds, TimeUnit.SECONDS);
        if (count != null && !done) {
            spec.commandLine().getErr().println("listen: timed out after " + timeoutSeconds + " s with " + seen[0]
                    + " of " + count + " message(s)");
            return 1;
        }
        return 0;
    }

    private static boolean awaitForever(CountDownLatch latch) throws InterruptedException {
        latch.await();
        return true;
    }

    private void emit(PrintWriter out, Object lock, int[] seen, int wanted, CountDownLatch remaining,
            String from, String text, boolean offline, String messageHash) {
        synchronized (lock) {
            if (seen[0] >= wanted) {
                return;
            }
            seen[0]++;
            if (json) {
                out.println("{\"from\":" + Stringify.quote(from) + ",\"text\":" + Stringify.quote(text) + ",\"offline\":" + offline
                        + ",\"messageHash\":" + Stringify.quote(messageHash) + "}");
            } else {
                out.println((offline ? "[offline] " : "") + from + ": " + (text == null ? "<not encrypted for this identity>" : text));
            }
            out.flush();
            if (count != null) {
                remaining.countDown();
            }
        }
    }
}
