package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demos-im history}: prints the conversation with one peer, newest first (L2PS only). */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Print the conversation with a peer, newest first (L2PS).",
                "With the L2PS pipeline status of each message. The legacy protocol keeps no history."})
final class HistoryCommand implements Callable<Integer> {
    /** One format for every timestamp, text and JSON: ISO-8601 in UTC, always with milliseconds. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--peer", required = true, paramLabel = "KEY", description = "The other party's Ed25519 public key.")
    String peerKey;

    @Option(names = "--limit", paramLabel = "N", description = "How many messages. Default: ${DEFAULT-VALUE}.")
    int limit = 50;

    @Option(names = "--all", description = "Walk every page instead of stopping at --limit.")
    boolean all;

    @Option(names = "--json", description = "One JSON object per message.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (client.legacy()) {
            throw new ParameterException(spec.commandLine(), "history exists only on the L2PS protocol; the legacy server keeps no history");
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        Identity identity = client.identity.identity();
        PrintWriter out = spec.commandLine().getOut();
        try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
            peer.connect().join();
            List<StoredMessage> messages = all
                    ? peer.historyStream(peerKey, Math.min(limit, 200)).collect(Collectors.toList())
                    : peer.history(peerKey, limit).join().messages();
            for (StoredMessage m : messages) {
                // a message to this peer is decrypted and, if it is a signed envelope, its signature checked
                ReceivedMessage read = m.to().equals(peer.publicKey()) ? peer.open(m) : null;
                String text = read == null ? null : read.text().orElse(null);
                if (json) {
                    out.println("{\"id\":" + Stringify.quote(m.id()) + ",\"from\":" + Stringify.quote(m.from()) + ",\"to\":" + Stringify.quote(m.to())
                            + ",\"messageHash\":" + Stringify.quote(m.messageHash()) + ",\"timestamp\":" + Stringify.quote(TIME.format(m.storedAt()))
                            + ",\"status\":" + Stringify.quote(m.status().wireName()) + ",\"l2psTxHash\":" + Stringify.quote(m.l2psTxHash())
                            + ",\"text\":" + Stringify.quote(text)
                            + ",\"verification\":" + Stringify.quote(read == null ? null : read.verification().status().name())
                            + ",\"messageId\":" + Stringify.quote(read == null ? null : read.messageId().orElse(null)) + "}");
                } else {
                    boolean mine = m.from().equals(peer.publicKey());
                    String mark = read == null ? "" : read.authenticated() ? "✓ "
                            : read.verification().failed() ? "✗ " + read.verification().status() + " " : "";
                    out.println(TIME.format(m.storedAt()) + "  " + (mine ? "me -> peer" : "peer -> me") + "  "
                            + String.format("%-15s", m.status().wireName()) + "  " + mark
                            + (text != null ? text : mine ? "<sent; encrypted for the peer>"
                                    : read != null && read.envelope().flatMap(e -> e.media()).isPresent() ? "<media>"
                                    : "<not decryptable>"));
                }
            }
            out.flush();
        }
        return 0;
    }
}
