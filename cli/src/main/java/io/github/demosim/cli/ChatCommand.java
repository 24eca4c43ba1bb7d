package io.github.demosim.cli;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SendResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demos-im chat}: an interactive conversation on either protocol. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat interactively: each line you type is encrypted and sent; messages for you are printed as they arrive.",
                "Commands: /to KEY-OR-ID (switch recipient), /peers (who is online), /quit."})
final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Where typed lines come from: standard input, or what a test supplies. */
    private final java.io.InputStream input;

    /** Creates the command reading standard input; picocli calls this. */
    ChatCommand() {
        this(System.in);
    }

    ChatCommand(java.io.InputStream input) {
        this.input = input;
    }

    @Mixin
    ClientOptions client;

    @Option(names = "--to", paramLabel = "KEY-OR-ID", description = "Recipient to start with (Ed25519 key for l2ps, client id for legacy).")
    String to;

    @Option(names = "--kem-key", paramLabel = "BASE64", description = "The recipient's ML-KEM-768 key, when the server cannot look it up.")
    String kemKey;

    @Override
    public Integer call() throws Exception {
        Identity identity = client.identity.identity();
        PrintWriter out = spec.commandLine().getOut();
        Bytes key = kemKey == null ? null : Bytes.fromBase64(kemKey);
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        if (client.legacy()) {
            try (MessagingPeer peer = client.legacyPeer(identity)) {
                peer.onMessage(m -> print(out, (m.offline() ? "[stored] " : "") + m.fromId() + ": " + m.text()));
                peer.onMessageQueued(e -> print(out, "(" + e.targetId() + " is offline; stored for later delivery)"));
                peer.onPeerDisconnected(id -> print(out, "(" + id + " left)"));
                peer.onKeyChange(k -> print(out, "(warning: the key of " + k.clientId() + " changed; on a server in "
                        + "reference mode someone else may have taken the id over)"));
                peer.onError(e -> print(out, "(error: " + e.error().getMessage() + ")"));
                peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
                print(out, "connected as " + peer.clientId() + "; online: " + peer.discoverPeers().get(10, TimeUnit.SECONDS));
                loop(in, out, line -> {
                    if (line.equals("/peers")) {
                        print(out, "online: " + peer.discoverPeers().get(10, TimeUnit.SECONDS));
                    } else {
                        (key == null ? peer.sendMessage(to, line) : peer.sendMessage(to, key, line)).get(30, TimeUnit.SECONDS);
                    }
                });
            }
        } else {
            try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
                peer.onMessage(m -> print(out, (m.offline() ? "[offline] " : "") + abbreviate(m.from()) + ": "
                        + m.text().orElse("<not decryptable>")));
                peer.onPeerJoined(k -> print(out, "(" + abbreviate(k) + " joined)"));
                peer.onPeerLeft(k -> print(out, "(" + abbreviate(k) + " left)"));
                peer.onError(e -> print(out, "(error: " + e.error().getMessage() + ")"));
                var registration = peer.connect().get(client.connectTimeoutSeconds + 5L, TimeUnit.SECONDS);
                print(out, "connected as " + peer.publicKey() + " in " + registration.l2psUid() + "; online: "
                        + registration.onlinePeers());
                loop(in, out, line -> {
                    if (line.equals("/peers")) {
                        print(out, "online: " + peer.discover().get(10, TimeUnit.SECONDS));
                    } else {
                        SendResult r = (key == null ? peer.sendText(to, line) : peer.sendText(to, key, line)).get(30, TimeUnit.SECONDS);
                        print(out, "(" + r.outcome().name().toLowerCase(Locale.ROOT) + ")");
                    }
                });
            }
        }
        return 0;
    }

    private interface LineAction {
        void accept(String line) throws Exception;
    }

    private void loop(BufferedReader in, PrintWriter out, LineAction send) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("/quit")) {
                break;
            }
            if (line.startsWith("/to ")) {
                to = line.substring(4).strip();
                print(out, "(now writing to " + to + ")");
                continue;
            }
            if (!line.equals("/peers") && to == null) {
                print(out, "(choose a recipient first: /to KEY-OR-ID)");
                continue;
            }
            try {
                send.accept(line);
            } catch (java.util.concurrent.ExecutionException e) {
                print(out, "(not sent: " + e.getCause().getMessage() + ")");
            }
        }
    }

    private static String abbreviate(String key) {
        return key.length() > 16 ? key.substring(0, 8) + "…" : key;
    }

    private static synchronized void print(PrintWriter out, String text) {
        out.println(text);
        out.flush();
    }
}
