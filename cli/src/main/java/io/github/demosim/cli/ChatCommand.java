package io.github.demosim.cli;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.KeyRole;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.SenderVerification;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demos-im chat}: an interactive conversation on either protocol. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat interactively on either protocol.",
                "Each line you type is encrypted and sent to the current recipient; messages for you are printed as they"
                        + " arrive. Type /help for the commands."})
final class ChatCommand implements Callable<Integer> {
    static final String HELP = "commands: /to KEY-OR-ID (choose the recipient), /peers (who is online), /help, /quit;"
            + " start a line with // to send one that begins with /";

    @Spec
    CommandSpec spec;

    /** Where typed lines come from: standard input, or what a test supplies. */
    private final InputStream input;
    /** Whether to show a prompt: on a terminal, or when a test asks for one. */
    private final boolean prompt;

    /** Creates the command reading standard input; picocli calls this. */
    ChatCommand() {
        this(System.in, System.console() != null);
    }

    ChatCommand(InputStream input, boolean prompt) {
        this.input = input;
        this.prompt = prompt;
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
        Bytes key = KemKeys.parse(spec, kemKey);
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        if (client.legacy()) {
            try (MessagingPeer peer = client.legacyPeer(identity)) {
                peer.onMessage(m -> print(out, (m.offline() ? "[stored] " : "") + mark(m.verification()) + m.from()
                        + ": " + m.text()));
                peer.onKeyChange(k -> print(out, k.role() == KeyRole.SIGNING
                        ? "(warning: " + k.peer() + " signed with another key than before; its messages are not "
                                + "authenticated until you trust the new key)"
                        : "(warning: the key of " + k.peer() + " changed; on a server in reference mode someone else "
                                + "may have taken the id over)"));
                peer.onMessageQueued(e -> print(out, "(" + e.targetId() + " is offline; stored for later delivery)"));
                peer.onPeerLeft(id -> print(out, "(" + id + " left)"));
                peer.onError(e -> unsolicited(out, e));
                peer.connect().join();
                print(out, "connected as " + peer.clientId() + "; online: " + peer.discover().join());
                loop(in, out, key, new Peer() {
                    @Override
                    public String peers() {
                        return String.valueOf(peer.discover().join());
                    }

                    @Override
                    public String send(String text, Bytes kemPublicKey) {
                        (kemPublicKey == null ? peer.sendText(to, text) : peer.sendText(to, kemPublicKey, text)).join();
                        return "sent";   // written; the server says so separately if it stored it for later
                    }
                });
            }
        } else {
            try (L2psMessagingPeer peer = client.l2psPeer(identity)) {
                peer.onMessage(m -> print(out, (m.offline() ? "[offline] " : "") + mark(m.verification())
                        + abbreviate(m.from()) + ": " + m.text().orElse("<not decryptable>")));
                peer.onPeerJoined(k -> print(out, "(" + abbreviate(k) + " joined)"));
                peer.onPeerLeft(k -> print(out, "(" + abbreviate(k) + " left)"));
                peer.onError(e -> unsolicited(out, e));
                var registration = peer.connect().join();
                print(out, "connected as " + peer.publicKey() + " in " + registration.l2psUid() + "; online: "
                        + registration.onlinePeers());
                loop(in, out, key, new Peer() {
                    @Override
                    public String peers() {
                        return String.valueOf(peer.discover().join());
                    }

                    @Override
                    public String send(String text, Bytes kemPublicKey) {
                        SendResult r = (kemPublicKey == null ? peer.sendText(to, text)
                                : peer.sendText(to, kemPublicKey, text)).join();
                        return r.outcome().name().toLowerCase(Locale.ROOT);
                    }
                });
            }
        }
        return 0;
    }

    /** How sure the sender is: ✓ authenticated, (unsigned), or ✗ and why not (docs/envelopes.md §5). */
    private static String mark(SenderVerification v) {
        return v.authenticated() ? "✓ " : v.failed() ? "✗ " + v.status() + " (" + v.detail() + ") "
                : v.status() == SenderVerification.Status.UNSIGNED ? "(unsigned) " : "";
    }

    /** Prints an error no request owns; one that failed a send is printed once, by the loop, as "not sent". */
    private static void unsolicited(PrintWriter out, ErrorEvent e) {
        if (e.error().code() == ErrorCode.SENDER_VERIFICATION_FAILED) {
            return; // the message itself is printed with the reason
        }
        if (!e.failedRequest()) {
            print(out, "(error: " + CliErrors.describe(e.error()) + ")");
        }
    }

        /** What the loop needs of either peer. */
    private interface Peer {
        String peers();

        String send(String text, Bytes kemPublicKey);
    }

    private void loop(BufferedReader in, PrintWriter out, Bytes key, Peer peer) throws Exception {
        String keyOwner = to;
        print(out, "(" + HELP + ")");
        while (true) {
            if (prompt) {
                synchronized (ChatCommand.class) {
                    out.print(to == null ? "(no recipient)> " : "to " + abbreviate(to) + "> ");
                    out.flush();
                }
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/") && !line.startsWith("//")) {
                String command = line.split("\\s+", 2)[0];
                String argument = line.substring(command.length()).strip();
                switch (command) {
                    case "/quit" -> {
                        return;
                    }
                    case "/help" -> print(out, "(" + HELP + ")");
                    case "/peers" -> {
                        String online = attempt(out, "failed", peer::peers);
                        if (online != null) {
                            print(out, "online: " + online);
                        }
                    }
                    case "/to" -> {
                        if (argument.isEmpty()) {
                            print(out, "(/to needs a recipient: /to KEY-OR-ID)");
                        } else {
                            to = argument;
                            print(out, "(now writing to " + to + ")");
                        }
                    }
                    default -> print(out, "(unknown command " + command + "; not sent. /help lists the commands;"
                            + " start the line with // to send it as text)");
                }
                continue;
            }
            String text = line.startsWith("//") ? line.substring(1) : line;
            if (to == null) {
                print(out, "(choose a recipient first: /to KEY-OR-ID)");
                continue;
            }
            // a --kem-key is the key of the recipient it was given for, the one of --to
            Bytes recipientKey = to.equals(keyOwner) ? key : null;
            String outcome = attempt(out, "not sent", () -> peer.send(text, recipientKey));
            if (outcome != null) {
                print(out, "(" + outcome + ")");
            }
        }
    }

    /** Runs one request; a failure is printed once, as the line's outcome, and the chat goes on. */
    private static String attempt(PrintWriter out, String failed, java.util.function.Supplier<String> request) {
        try {
            return request.get();
        } catch (CompletionException e) {
            print(out, "(" + failed + ": " + CliErrors.describe(e) + ")");
            return null;
        }
    }

    private static String abbreviate(String key) {
        return key.length() > 16 ? key.substring(0, 8) + "…" : key;
    }

    private static void print(PrintWriter out, String text) {
        synchronized (ChatCommand.class) {
            out.println(text);
            out.flush();
        }
    }
}
