package io.github.demosim.cli;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.KeyRole;
import io.github.demosim.L2psStatus;
import io.github.demosim.MessagingPeer;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.SendResult;
import io.github.demosim.SenderVerification;
import io.github.demosim.TextMessage;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demos-im demo}: the whole story on an embedded server with a temporary database, told step by step.
 * Every wait is bounded; any failure ends the demo with status 1 and says which step failed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole story on an embedded server, step by step.",
                "A temporary database; offline delivery, live chat with signed envelopes, replies and reactions,"
                        + " history through the L2PS pipeline, the legacy protocol, a forged sender and tampering"
                        + " detected. Each claim is checked; exit status 1 names a failed step."})
final class DemoCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NETWORK = DemosImServer.DEFAULT_L2PS_UID;

    @Spec
    CommandSpec spec;

    @Option(names = "--transport", paramLabel = "NAME", description = "Transport provider for the clients: java-websocket or tyrus. Default: ${DEFAULT-VALUE}.")
    String transport = "java-websocket";

    @Option(names = "--mode", paramLabel = "hardened|reference", description = "Server mode. Default: ${DEFAULT-VALUE}.")
    String mode = "hardened";

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path dataDir = Files.createTempDirectory("demos-im-demo-");
        try {
            return run(dataDir);
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private int run(Path dataDir) throws Exception {
        ServerMode serverMode = Modes.parse(spec, mode);
        Transports.require(spec, "--transport", transport);
        title("demos-im demo: post-quantum end-to-end messaging on both Demos protocols");
        try (DemosImServer server = DemosImServer.newBuilder()
                .mode(serverMode)
                .l2psPort(0).legacyPort(0)
                .databaseFile(dataDir.resolve("demo"))
                .batchInterval(Duration.ofMillis(300))
                .finalityDelay(Duration.ofMillis(800))
                .start()) {
            say("Started the reference server (" + mode.toLowerCase(Locale.ROOT) + " mode) on loopback: L2PS "
                    + server.l2psUri() + ", legacy " + server.legacyUri() + ", H2 database in " + dataDir + ".");

            step("Two identities, each an Ed25519, an ML-DSA-65 and an ML-KEM-768 key pair from one master seed");
            Identity alice = Identity.generate();
            Identity bob = Identity.generate();
            say("Alice: " + alice.ed25519PublicKeyHex());
            say("Bob:   " + bob.ed25519PublicKeyHex());
            say("(Alice has Bob's contact card: his Ed25519 address and his ML-KEM-768 public key, "
                    + bob.mlKemPublicKey().length() + " bytes.)");

            l2psStory(server, alice, bob);
            legacyStory(server, alice, bob);
            forgeryStory(server, alice, bob);
            tamperStory(server, alice, bob);

            step("Done");
            say("Stopping the server and deleting the temporary database.");
        }
        out.println();
        out.println("The demo ran to the end.");
        out.flush();
        return 0;
    }

    private void l2psStory(DemosImServer server, Identity alice, Identity bob) throws Exception {
        try (L2psMessagingPeer alicePeer = l2ps(server, alice)) {
            step("L2PS: Alice connects and registers with an Ed25519 proof; Bob is offline");
            var registration = await(alicePeer.connect(), "Alice's registration");
            say("Registered in " + registration.l2psUid() + "; online peers: " + registration.onlinePeers()
                    + "; server extensions: " + registration.features());
            // Bob's card gave Alice his address, which is his signing key: pinned, it also says he reads envelopes
            alicePeer.trustStore().pin(bob.ed25519PublicKeyHex(), KeyRole.SIGNING, bob.ed25519PublicKey());
            say("Alice pins Bob's address from his card: she will sign what she sends him (a signed envelope).");

            step("L2PS: Alice writes to Bob while he is offline");
            SendResult queued = await(alicePeer.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(),
                    "Hi Bob, this waited for you on the server."), "the offline send");
            say("Encrypted with ML-KEM-768 + AES-256-GCM (a fresh encapsulation per message) and sent: "
                    + queued.outcome() + ", hash " + shortHash(queued.messageHash()));
            check(queued.outcome().name().equals("QUEUED"), "the message to offline Bob is queued");

            step("L2PS: Bob connects and receives it as an offline delivery");
            BlockingQueue<ReceivedMessage> bobInbox = new LinkedBlockingQueue<>();
            BlockingQueue<ReceivedMessage> aliceInbox = new LinkedBlockingQueue<>();
            alicePeer.onMessage(aliceInbox::add);
            try (L2psMessagingPeer bobPeer = l2ps(server, bob)) {
                bobPeer.onMessage(bobInbox::add);   // registered before connect(): sees the offline queue
                await(bobPeer.connect(), "Bob's registration");
                ReceivedMessage offline = take(bobInbox, "Bob's offline delivery");
                say("Bob got " + (offline.offline() ? "an offline delivery" : "a live message") + " from "
                        + shortHash(offline.from()) + ": \"" + offline.requireText() + "\"");
                check(offline.offline(), "the delivery is flagged offline");
                say("Sender verification: " + offline.verification().detail());
                check(offline.authenticated(), "Bob knows Alice wrote it: a signed envelope, checked on arrival");

                step("L2PS: a live exchange both ways, with a reply and a reaction (carried in the envelope)");
                SendResult reply = await(bobPeer.send(alice.ed25519PublicKeyHex(), alice.mlKemPublicKey(),
                        OutgoingMessage.text("Thanks Alice! Reading you live now.")
                                .inReplyTo(offline.messageId().orElseThrow())), "Bob's reply");
                ReceivedMessage atAlice = take(aliceInbox, "Alice receiving Bob's reply");
                say("Bob -> Alice: " + reply.outcome() + "; Alice read \"" + atAlice.requireText() + "\", a reply to "
                        + "message " + shortId(atAlice.envelope().flatMap(e -> e.replyTo()).orElse("?")));
                check(atAlice.authenticated(), "Alice knows Bob wrote it");
                await(alicePeer.send(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(),
                        OutgoingMessage.reaction(atAlice.messageId().orElseThrow(), "👍")), "Alice's reaction");
                ReceivedMessage reaction = take(bobInbox, "Bob receiving Alice's reaction");
                say("Alice reacted " + reaction.text().orElse("?") + " to Bob's reply "
                        + shortId(reaction.envelope().flatMap(e -> e.replyTo()).orElse("?")));
                check(reaction.authenticated() && reaction.envelope().flatMap(e -> e.replyTo())
                        .equals(reply.messageId()), "the reaction is signed and names Bob's reply");
                SendResult live = await(alicePeer.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(),
                        "Great. Let's check the history."), "Alice's live message");
                ReceivedMessage atBob = take(bobInbox, "Bob receiving Alice's live message");
                say("Alice -> Bob: " + live.outcome() + "; Bob read \"" + atBob.requireText() + "\"");
                check(live.outcome().name().equals("DELIVERED"), "the live message is delivered");

                step("L2PS: history, and the L2PS pipeline moving every message to l2ps_confirmed");
                printHistory(alicePeer, bob.ed25519PublicKeyHex(), "now");
                if (registration.features().contains(L2psMessagingPeer.FEATURE_MESSAGE_STATUS)) {
                    for (String hash : List.of(queued.messageHash(), live.messageHash())) {
                        var confirmed = await(alicePeer.awaitStatus(hash, L2psStatus.L2PS_CONFIRMED), "confirmation of " + shortHash(hash));
                        say("message " + shortHash(hash) + " is " + confirmed.status().wireName() + " in L2PS transaction "
                                + shortHash(confirmed.l2psTxHash().orElse("?")));
                    }
                } else {
                    Thread.sleep(2_500);   // reference mode has no status pushes; the pipeline runs on its timer
                }
                List<StoredMessage> confirmedPage = printHistory(alicePeer, bob.ed25519PublicKeyHex(), "a moment later");
                check(confirmedPage.stream().allMatch(m -> m.status() == L2psStatus.L2PS_CONFIRMED),
                        "every message in the history is l2ps_confirmed");
            }
        }
    }

    private void legacyStory(DemosImServer server, Identity alice, Identity bob) throws Exception {
        step("Legacy: Alice and Bob register on the signaling server with ML-DSA-65 proofs");
        BlockingQueue<TextMessage> bobInbox = new LinkedBlockingQueue<>();
        BlockingQueue<TextMessage> aliceInbox = new LinkedBlockingQueue<>();
        BlockingQueue<String> departures = new LinkedBlockingQueue<>();
        try (MessagingPeer alicePeer = legacy(server, "alice", alice)) {
            alicePeer.onMessage(aliceInbox::add);
            alicePeer.onPeerLeft(departures::add);
            await(alicePeer.connect(), "Alice's legacy registration");
            try (MessagingPeer bobPeer = legacy(server, "bob", bob)) {
                bobPeer.onMessage(bobInbox::add);
                await(bobPeer.connect(), "Bob's legacy registration");
                say("Both registered; the proof signs each one's ML-KEM-768 key. Online: "
                        + await(alicePeer.discover(), "discover"));

                step("Legacy: automatic encryption: Alice looks Bob's key up and encrypts for him");
                await(alicePeer.sendText("bob", "Hello over the legacy protocol."), "Alice's legacy send");
                TextMessage got = take(bobInbox, "Bob's legacy delivery");
                say("Bob read \"" + got.text() + "\" from " + got.from() + " (" + verdict(got.verification()) + ")");
                await(bobPeer.sendText("alice", "Received, Alice."), "Bob's legacy reply");
                TextMessage back = take(aliceInbox, "Alice's legacy delivery");
                say("Alice read \"" + back.text() + "\" (" + verdict(back.verification()) + ")");
            }

            step("Legacy: Bob goes offline; Alice's message waits in the offline store");
            say("The server told Alice that " + take(departures, "the peer_disconnected notice") + " left.");
            CompletableFuture<String> queuedNotice = new CompletableFuture<>();
            alicePeer.onMessageQueued(e -> queuedNotice.complete(e.status() + ": " + e.message()));
            await(alicePeer.sendText("bob", bob.mlKemPublicKey(), "Stored while you were away."), "the offline legacy send");
            say("The server says " + await(queuedNotice, "the message_queued notice"));
            try (MessagingPeer bobAgain = legacy(server, "bob", bob)) {
                bobAgain.onMessage(bobInbox::add);
                await(bobAgain.connect(), "Bob's legacy re-registration");
                TextMessage replayed = take(bobInbox, "the legacy offline replay");
                say("Bob reconnected and got \"" + replayed.text() + "\" (stored at "
                        + replayed.storedAt().map(Object::toString).orElse("?") + "; "
                        + verdict(replayed.verification()) + ")");
                check(replayed.offline(), "the replay is marked as stored");
            }
        }
    }

    private void forgeryStory(DemosImServer server, Identity alice, Identity bob) throws Exception {
        step("A forgery: Mallory writes to Bob in Alice's name");
        Identity mallory = Identity.generate();
        DemosCrypto crypto = DemosCrypto.create(mallory.provider());
        BlockingQueue<ReceivedMessage> bobInbox = new LinkedBlockingQueue<>();
        try (L2psMessagingPeer malloryPeer = l2ps(server, mallory); L2psMessagingPeer bobPeer = l2ps(server, bob)) {
            bobPeer.onMessage(bobInbox::add);
            await(malloryPeer.connect(), "Mallory's registration");
            await(bobPeer.connect(), "Bob's registration");
            // an envelope that says "from Alice", signed with the only key Mallory has
            MessageEnvelope draft = MessageEnvelope.draft(MessageEnvelope.Profile.L2PS, alice.ed25519PublicKeyHex(),
                    bob.ed25519PublicKeyHex(), MessageEnvelope.Type.TEXT, "Change of plan: pay the invoice to me",
                    Optional.empty());
            MessageEnvelope forged = draft.withSignature(Bytes.of(mallory.signEd25519(draft.signingInput())));
            SealedMessage sealed = crypto.seal(bob.mlKemPublicKey(), forged.toJson().getBytes(StandardCharsets.UTF_8));
            await(malloryPeer.send(bob.ed25519PublicKeyHex(), sealed.toL2psEncrypted(),
                    crypto.messageHash(mallory.ed25519PublicKeyHex(), bob.ed25519PublicKeyHex(), "forged",
                            System.nanoTime())), "Mallory's send");
            ReceivedMessage got = take(bobInbox, "the forged message");
            say("Bob's client received \"" + got.text().orElse("") + "\", claiming to be from Alice.");
            say("Sender verification: " + got.verification().status() + ": " + got.verification().detail());
            check(!got.authenticated() && got.verification().failed(), "the forgery is detected, never shown as "
                    + "authenticated");
        }
    }

    private static String verdict(SenderVerification v) {
        return v.authenticated() ? "✓ authenticated: " + v.detail()
                : v.status() == SenderVerification.Status.UNSIGNED
                        ? "unsigned: this server does not tell clients who reads signed envelopes"
                        : "✗ " + v.status() + ": " + v.detail();
    }

    private static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8) + "…";
    }

    private void tamperStory(DemosImServer server, Identity alice, Identity bob) throws Exception {
        step("Tampering: one flipped bit in a ciphertext is rejected, never decrypted to something else");
        DemosCrypto crypto = DemosCrypto.create(alice.provider());
        SealedMessage sealed = crypto.seal(bob.mlKemPublicKey(), "Transfer 10 DEM to Carol".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] body = sealed.bodyAndTag().toByteArray();
        body[0] ^= 0x01;
        SealedMessage tampered = new SealedMessage(sealed.kemCiphertext(), sealed.iv(), Bytes.of(body));
        try {
            bob.open(tampered);
            throw new IllegalStateException("a tampered ciphertext decrypted");
        } catch (CryptoException expected) {
            say("Bob's open(): " + expected.getMessage());
        }
        BlockingQueue<ReceivedMessage> bobInbox = new LinkedBlockingQueue<>();
        try (L2psMessagingPeer alicePeer = l2ps(server, alice); L2psMessagingPeer bobPeer = l2ps(server, bob)) {
            bobPeer.onMessage(bobInbox::add);
            await(alicePeer.connect(), "Alice's registration");
            await(bobPeer.connect(), "Bob's registration");
            String hash = crypto.messageHash(alice.ed25519PublicKeyHex(), bob.ed25519PublicKeyHex(), "tampered", System.nanoTime());
            await(alicePeer.send(bob.ed25519PublicKeyHex(), tampered.toL2psEncrypted(), hash), "the tampered send");
            ReceivedMessage got = take(bobInbox, "the tampered delivery");
            say("Sent through the server: Bob's client received it and " + (got.text().isPresent()
                    ? "DECRYPTED it (this must not happen)" : "rejected it: no plaintext was produced") + ".");
            check(got.text().isEmpty(), "the tampered message yields no plaintext");
        }
    }

    private List<StoredMessage> printHistory(L2psMessagingPeer peer, String other, String when) throws Exception {
        List<StoredMessage> page = await(peer.history(other, 10), "history").messages();
        say("History with Bob (" + when + "), newest first:");
        for (StoredMessage m : page) {
            boolean mine = m.from().equals(peer.publicKey());
            say(String.format("  %-12s %-15s tx %s", mine ? "Alice -> Bob" : "Bob -> Alice", m.status().wireName(),
                    m.l2psTxHash() == null ? "-" : shortHash(m.l2psTxHash())));
        }
        return page;
    }

    private L2psMessagingPeer l2ps(DemosImServer server, Identity identity) {
        return L2psMessagingPeer.newBuilder()
                .serverUri(server.l2psUri())
                .identity(identity)
                .l2psUid(NETWORK)
                .transport(transport)
                .reconnectPolicy(ReconnectPolicy.disabled())
                .build();
    }

    private MessagingPeer legacy(DemosImServer server, String id, Identity identity) {
        return MessagingPeer.newBuilder()
                .serverUri(server.legacyUri())
                .clientId(id)
                .identity(identity)
                .transport(transport)
                .reconnectPolicy(ReconnectPolicy.disabled())
                .build();
    }

    private <T> T await(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("step " + step + ": no answer for " + what + " within " + WAIT.toSeconds() + " s", e);
        }
    }

    private <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
        T item = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (item == null) {
            throw new IllegalStateException("step " + step + ": nothing arrived for " + what + " within " + WAIT.toSeconds() + " s");
        }
        return item;
    }

    private void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("step " + step + ": expected " + claim);
        }
        say("✓ " + claim);
    }

    private void title(String text) {
        out.println(text);
        out.println("=".repeat(text.length()));
        out.flush();
    }

    private void step(String text) {
        step++;
        out.println();
        out.println("[" + step + "] " + text);
        out.flush();
    }

    private void say(String text) {
        out.println("    " + text);
        out.flush();
    }

    private static String shortHash(String hex) {
        return hex.length() <= 16 ? hex : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 4);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
