package io.github.demosim.cli;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessageQueuedEvent;
import io.github.demosim.MessagingPeer;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.SendResult;
import java.io.IOException;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demos-im send}: encrypts one message (text, a reply, a reaction or a file) and sends it. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Encrypt a message (ML-KEM-768 + AES-256-GCM) and send it.",
                "To a recipient that reads signed envelopes it goes signed (docs/envelopes.md), which replies,"
                        + " reactions and files need; to any other as plain text.",
                "L2PS: prints delivered or queued. Legacy: prints sent, or queued when the target is offline."})
final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--to", required = true, paramLabel = "KEY-OR-ID", description = "Recipient: Ed25519 public key (l2ps) or client id (legacy).")
    String to;

    @Option(names = "--text", paramLabel = "TEXT", description = "The message; with --react, the reaction (e.g. an emoji).")
    String text;

    @Option(names = "--media", paramLabel = "FILE", description = "Send this file instead of text (about 73 KB at most on L2PS).")
    Path media;

    @Option(names = "--mime", paramLabel = "TYPE", description = "The file's MIME type, e.g. image/png. Default: guessed from the file, else application/octet-stream.")
    String mime;

    @Option(names = "--reply-to", paramLabel = "ID", description = "Send it as a reply to the message with this id (listen prints ids).")
    String replyTo;

    @Option(names = "--react", paramLabel = "ID", description = "Send --text as a reaction to the message with this id.")
    String react;

    @Option(names = "--kem-key", paramLabel = "BASE64",
            description = "Recipient's ML-KEM-768 public key (from its 'demos-im keygen'). Default: looked up on the server.")
    String kemKey;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OutgoingMessage message = message();
        Identity identity = client.identity.identity();
        Bytes key = KemKeys.parse(spec, kemKey);
        PrintWriter out = spec.commandLine().getOut();
        if (client.legacy()) {
            try (MessagingPeer peer = client.legacyPeer(identity)) {
                CompletableFuture<MessageQueuedEvent> queued = new CompletableFuture<>();
                peer.onMessageQueued(e -> {
                    if (e.targetId().equals(to)) {
                        queued.complete(e);
                    }
                });
                peer.connect().join();
                Optional<String> id = (key == null ? peer.send(to, message) : peer.send(to, key, message)).join();
                // The legacy server acknowledges only offline stores; give it a moment to say so.
                String outcome;
                try {
                    queued.get(1, TimeUnit.SECONDS);
                    outcome = "queued";
                } catch (TimeoutException liveDelivery) {
                    outcome = "sent";
                }
                print(out, outcome, null, null, id);
            }
        } else {
            try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
                peer.connect().join();
                // every wait is bounded by the peer's own timeouts; a failure is reported by Main in one line
                SendResult result = (key == null ? peer.send(to, message) : peer.send(to, key, message)).join();
                print(out, result.outcome().name().toLowerCase(Locale.ROOT), result.messageHash(),
                        result.l2psStatus().wireName(), result.messageId());
            }
        }
        return 0;
    }

    /** The message the options describe; a usage error for a combination that means nothing. */
    private OutgoingMessage message() {
        if ((text == null) == (media == null)) {
            throw new ParameterException(spec.commandLine(), "Give exactly one of --text TEXT and --media FILE");
        }
        if (react != null && (media != null || replyTo != null)) {
            throw new ParameterException(spec.commandLine(), "--react ID sends --text as a reaction; it takes neither"
                    + " --media nor --reply-to");
        }
        if (media != null && mime == null) {
            mime = guessMime(media);
        }
        try {
            OutgoingMessage m = react != null ? OutgoingMessage.reaction(react, text)
                    : media != null ? OutgoingMessage.media(mime, Bytes.of(Files.readAllBytes(media)))
                    : OutgoingMessage.text(text);
            return replyTo == null ? m : m.inReplyTo(replyTo);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read --media " + media + ": " + e.getMessage());
        }
    }

    private static String guessMime(Path file) {
        try {
            String probed = Files.probeContentType(file);
            return probed == null ? "application/octet-stream" : probed.toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    private void print(PrintWriter out, String outcome, String messageHash, String l2psStatus, Optional<String> id) {
        if (json) {
            out.println("{\"to\":" + Stringify.quote(to) + ",\"outcome\":" + Stringify.quote(outcome)
                    + ",\"messageHash\":" + Stringify.quote(messageHash) + ",\"l2psStatus\":" + Stringify.quote(l2psStatus)
                    + ",\"signed\":" + id.isPresent() + ",\"messageId\":" + Stringify.quote(id.orElse(null)) + "}");
        } else {
            out.println(outcome + (messageHash == null ? "" : " " + messageHash)
                    + (l2psStatus == null ? "" : " (l2ps " + l2psStatus + ")")
                    + id.map(i -> ", signed envelope " + i).orElse(", plain text"));
        }
        out.flush();
    }
}
