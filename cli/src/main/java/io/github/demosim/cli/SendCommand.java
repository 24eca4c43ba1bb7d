package io.github.demosim.cli;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessageQueuedEvent;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demos-im send}: encrypts one message and sends it. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Encrypt a message (ML-KEM-768 + AES-256-GCM) and send it.",
                "L2PS: prints delivered or queued. Legacy: prints sent, or queued when the target is offline."})
final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--to", required = true, paramLabel = "KEY-OR-ID", description = "Recipient: Ed25519 public key (l2ps) or client id (legacy).")
    String to;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The message.")
    String text;

    @Option(names = "--kem-key", paramLabel = "BASE64",
            description = "Recipient's ML-KEM-768 public key (from its 'demos-im keygen'). Default: looked up on the server.")
    String kemKey;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Identity identity = client.identity.identity();
        Bytes key = kemKey == null ? null : Bytes.fromBase64(kemKey);
        PrintWriter out = spec.commandLine().getOut();
        if (client.legacy()) {
            try (MessagingPeer peer = client.legacyPeer(identity)) {
                CompletableFuture<MessageQueuedEvent> queued = new CompletableFuture<>();
                peer.onMessageQueued(e -> {
                    if (e.targetId().equals(to)) {
                        queued.complete(e);
                    }
                });
                peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
                (key == null ? peer.sendMessage(to, text) : peer.sendMessage(to, key, text)).get(30, TimeUnit.SECONDS);
                // The legacy server acknowledges only offline stores; give it a moment to say so.
                String outcome;
                try {
                    queued.get(1, TimeUnit.SECONDS);
                    outcome = "queued";
                } catch (TimeoutException liveDelivery) {
                    outcome = "sent";
                }
                print(out, outcome, null, null);
            }
        } else {
            try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
                peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
                SendResult result;
                try {
                    result = (key == null ? peer.sendText(to, text) : peer.sendText(to, key, text)).get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof io.github.demosim.ImException im
                            && im.code() == io.github.demosim.ErrorCode.KEY_NOT_FOUND) {
                        spec.commandLine().getErr().println("send: the server knows no ML-KEM key for " + to
                                + "; pass --kem-key BASE64 (the recipient's 'demos-im keygen' prints it) [IM-REQUEST-003]");
                        return 1;
                    }
                    throw e;
                }
                print(out, result.outcome().name().toLowerCase(Locale.ROOT), result.messageHash(), result.l2psStatus());
            }
        }
        return 0;
    }

    private void print(PrintWriter out, String outcome, String messageHash, String l2psStatus) {
        if (json) {
            out.println("{\"to\":" + Stringify.quote(to) + ",\"outcome\":" + Stringify.quote(outcome)
                    + ",\"messageHash\":" + Stringify.quote(messageHash) + ",\"l2psStatus\":" + Stringify.quote(l2psStatus) + "}");
        } else {
            out.println(outcome + (messageHash == null ? "" : " " + messageHash)
                    + (l2psStatus == null ? "" : " (l2ps " + l2psStatus + ")"));
        }
        out.flush();
    }
}
