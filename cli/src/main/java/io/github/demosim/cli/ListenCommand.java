package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SenderVerification;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demos-im listen}: connects and prints every message it can decrypt, with who verifiably wrote it. */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Print each message received, decrypted, with its sender verification.",
                "✓ marks a message whose sender is authenticated (a signed envelope); (unsigned) one whose sender is the"
                        + " server's word only; ✗ one that failed verification, with the reason.",
                "Offline deliveries come first.",
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

    @Option(names = "--json", description = "One JSON object per message: from, text, offline, messageHash, "
            + "authenticated, verification, reason, id, type, replyTo, mimeType, mediaBytes.")
    boolean json;

    /** One message as printed, from either protocol. */
    private record Printed(String from, String text, boolean offline, String messageHash,
            SenderVerification verification, Optional<MessageEnvelope> envelope) {
    }

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
                peer.onMessage(m -> emit(out, lock, seen, wanted, remaining, new Printed(m.from(),
                        m.envelope().flatMap(MessageEnvelope::media).isPresent() ? null : m.text(), m.offline(), null,
                        m.verification(), m.envelope())));
                peer.connect().join();
                announce(peer.clientId());
                return await(remaining, seen);
            }
        }
        try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
            peer.onMessage(m -> emit(out, lock, seen, wanted, remaining, new Printed(m.from(), m.text().orElse(null),
                    m.offline(), m.messageHash(), m.verification(), m.envelope())));
            peer.connect().join();
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

    private void emit(PrintWriter out, Object lock, int[] seen, int wanted, CountDownLatch remaining, Printed m) {
        synchronized (lock) {
            if (seen[0] >= wanted) {
                return;
            }
            seen[0]++;
            out.println(json ? json(m) : text(m));
            out.flush();
            if (count != null) {
                remaining.countDown();
            }
        }
    }

    private static String json(Printed m) {
        Optional<MessageEnvelope> e = m.envelope();
        Optional<MessageEnvelope.Media> media = e.flatMap(MessageEnvelope::media);
        return "{\"from\":" + Stringify.quote(m.from()) + ",\"text\":" + Stringify.quote(m.text()) + ",\"offline\":" + m.offline()
                + ",\"messageHash\":" + Stringify.quote(m.messageHash())
                + ",\"authenticated\":" + m.verification().authenticated()
                + ",\"verification\":" + Stringify.quote(m.verification().status().name())
                + ",\"reason\":" + Stringify.quote(m.verification().detail())
                + ",\"id\":" + Stringify.quote(e.map(MessageEnvelope::id).orElse(null))
                + ",\"type\":" + Stringify.quote(e.map(x -> x.type().wireName()).orElse(null))
                + ",\"replyTo\":" + Stringify.quote(e.flatMap(MessageEnvelope::replyTo).orElse(null))
                + ",\"mimeType\":" + Stringify.quote(media.map(MessageEnvelope.Media::mimeType).orElse(null))
                + ",\"mediaBytes\":" + media.map(x -> String.valueOf(x.data().length())).orElse("null") + "}";
    }

    /** One line: where from, how sure, what. */
    static String text(Printed m) {
        SenderVerification v = m.verification();
        String mark = switch (v.status()) {
            case AUTHENTICATED -> "✓ ";
            case UNSIGNED -> "(unsigned) ";
            case UNREADABLE -> "";
            default -> "✗ NOT AUTHENTICATED (" + v.status() + ": " + v.detail() + ") ";
        };
        return (m.offline() ? "[offline] " : "") + mark + m.from() + ": " + describe(m);
    }

    private static String describe(Printed m) {
        Optional<MessageEnvelope> e = m.envelope();
        if (v(m) == SenderVerification.Status.UNREADABLE) {
            return "<not encrypted for this identity>";
        }
        String reply = e.flatMap(MessageEnvelope::replyTo).map(id -> " (reply to " + id + ")").orElse("");
        if (e.isPresent() && e.get().type() == MessageEnvelope.Type.REACTION) {
            return "reacted " + e.get().content() + " to " + e.get().replyTo().orElse("?");
        }
        Optional<MessageEnvelope.Media> media = e.flatMap(MessageEnvelope::media);
        if (media.isPresent()) {
            return "<" + media.get().mimeType() + ", " + String.format("%,d", media.get().data().length()) + " bytes>"
                    + reply;
        }
        return (m.text() == null ? "" : m.text()) + reply;
    }

    private static SenderVerification.Status v(Printed m) {
        return m.verification().status();
    }
}
