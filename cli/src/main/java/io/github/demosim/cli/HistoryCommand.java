package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.internal.wire.Stringify;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demos-im history}: prints the conversation with one peer, newest first (L2PS only). */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Print the stored conversation with a peer, newest first, with L2PS pipeline statuses (L2PS only).")
final class HistoryCommand implements Callable<Integer> {

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
            peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
            List<StoredMessage> messages = all
                    ? peer.historyStream(peerKey, Math.min(limit, 200)).collect(Collectors.toList())
                    : peer.history(peerKey, limit).get(30, TimeUnit.SECONDS).messages();
            for (StoredMessage m : messages) {
                String text = m.to().equals(peer.publicKey()) ? peer.decrypt(m.encrypted()).orElse(null) : null;
                if (json) {
                    out.println("{\"id\":" + Stringify.quote(m.id()) + ",\"from\":" + Stringify.quote(m.from()) + ",\"to\":" + Stringify.quote(m.to())
                            + ",\"messageHash\":" + Stringify.quote(m.messageHash()) + ",\"timestamp\":" + m.timestamp()
                            + ",\"status\":" + Stringify.quote(m.status()) + ",\"l2psTxHash\":" + Stringify.quote(m.l2psTxHash())
                            + ",\"text\":" + Stringify.quote(text) + "}");
                } else {
                    boolean mine = m.from().equals(peer.publicKey());
                    out.println(Instant.ofEpochMilli(m.timestamp()) + "  " + (mine ? "me -> peer" : "peer -> me") + "  "
                            + String.format("%-15s", m.status()) + "  "
                            + (text != null ? text : mine ? "<sent; encrypted for the peer>" : "<not decryptable>"));
                }
            }
            out.flush();
        }
        return 0;
    }
}
