package io.github.demosim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.server.DemosImServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as scripts use them, in-process, against an embedded server on loopback. */
class CliTests {
    // master seeds of the size the command accepts: 128 bytes, as a Demos wallet's (IdentityOptions)
    private static final String ALICE = "a1".repeat(128);
    private static final String BOB = "b2".repeat(128);
    private static DemosImServer server;

    @BeforeAll
    static void startServer() {
        server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** What one command run printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static String key(String seedHex) {
        return Identity.fromMasterSeed(HexFormat.of().parseHex(seedHex)).ed25519PublicKeyHex();
    }

    @Test
    void keygenFromTheSdkMnemonicPrintsTheKnownKey() {
        // legacy-and-crypto.md §B.11: abandon ×11 about -> ed25519 263af3be…
        Run run = run("keygen", "--mnemonic", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("263af3be8487729727d99b35dcfdc61bf920a9164249ad117b292e6d3c7194f8");
    }

    @Test
    void keygenWritesTheSecretOnlyToAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("me.seed");
        Run run = run("keygen", "--out", file.toString(), "--json");
        assertThat(run.status()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String seed = Files.readString(file).strip();
        assertThat(run.out()).doesNotContain(seed);
        Run again = run("keygen", "--seed-file", file.toString(), "--json");
        assertThat(again.out()).contains(Identity.fromMasterSeed(HexFormat.of().parseHex(seed)).ed25519PublicKeyHex());
        assertThat(run("keygen", "--out", file.toString()).status()).isEqualTo(1);   // exists: no overwrite without --force
        assertThat(run("keygen").status()).isEqualTo(2);                             // a new secret needs --out
    }

    @Test
    void l2psSendAndListenExchangeAnEncryptedMessage() throws Exception {
        String l2ps = server.l2psUri().toString();
        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--server", l2ps, "--seed", BOB, "--count", "1", "--timeout", "20", "--json"));
        awaitOnline(key(BOB));
        Run sent = run("send", "--server", l2ps, "--seed", ALICE, "--to", key(BOB), "--text", "héllo ✓", "--json");
        assertThat(sent.status()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("\"outcome\":\"delivered\"");
        Run listened = listening.get(30, TimeUnit.SECONDS);
        assertThat(listened.status()).as(listened.err()).isZero();
        assertThat(listened.out()).contains("\"from\":\"" + key(ALICE) + "\"", "\"text\":\"héllo ✓\"", "\"offline\":false");

        Run history = run("history", "--server", l2ps, "--seed", BOB, "--peer", key(ALICE), "--json");
        assertThat(history.status()).as(history.err()).isZero();
        assertThat(history.out()).contains("\"text\":\"héllo ✓\"");
    }

    @Test
    void sendSignsRepliesReactsAndSendsFilesAndListenSaysWhoWroteThem(@TempDir Path dir) throws Exception {
        // docs/envelopes.md §7, docs/cli.md: both ends are this SDK on a hardened server, so everything is signed
        String l2ps = server.l2psUri().toString();
        String carol = "e5".repeat(128); // seeds no other test uses: nothing queued for them
        String dave = "f6".repeat(128);
        // a thread of its own: the common pool may have a single thread on a small machine, busy elsewhere
        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--server", l2ps, "--seed", dave, "--count", "3", "--timeout", "30", "--json"),
                r -> new Thread(r, "cli-listen").start());
        awaitOnline(key(dave));
        Run question = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave), "--text", "lunch?", "--json");
        assertThat(question.status()).as(question.err()).isZero();
        assertThat(question.out()).contains("\"signed\":true");
        String id = question.out().replaceAll("(?s).*\"messageId\":\"([0-9a-f-]{36})\".*", "$1");
        Run reaction = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave), "--react", id, "--text", "👍");
        assertThat(reaction.status()).as(reaction.err()).isZero();
        assertThat(reaction.out()).startsWith("delivered ").contains(", signed envelope ");
        Path png = Files.write(dir.resolve("dot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        Run media = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave), "--media", png.toString(),
                "--mime", "image/png", "--json");
        assertThat(media.status()).as(media.err()).isZero();
        Run listened = listening.get(40, TimeUnit.SECONDS);
        assertThat(listened.status()).as(listened.err()).isZero();
        List<String> lines = listened.out().lines().toList();
        assertThat(lines).hasSize(3).allMatch(l -> l.contains("\"authenticated\":true,\"verification\":\"AUTHENTICATED\""));
        assertThat(lines.get(0)).contains("\"text\":\"lunch?\"", "\"id\":\"" + id + "\"", "\"type\":\"text\"");
        assertThat(lines.get(1)).contains("\"type\":\"reaction\"", "\"replyTo\":\"" + id + "\"", "\"text\":\"👍\"");
        assertThat(lines.get(2)).contains("\"type\":\"media\"", "\"mimeType\":\"image/png\",\"mediaBytes\":8");

        Run neither = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave));
        assertThat(neither.status()).isEqualTo(2);
        assertThat(neither.err()).contains("Give exactly one of --text TEXT and --media FILE");
        Run badId = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave), "--react", "42", "--text", "x");
        assertThat(badId.status()).isEqualTo(2);
        assertThat(badId.err()).contains("must be a message id");
        Path large = Files.write(dir.resolve("large.bin"), new byte[100_000]);
        Run tooLarge = run("send", "--server", l2ps, "--seed", carol, "--to", key(dave), "--media", large.toString());
        assertThat(tooLarge.status()).isEqualTo(1);
        assertThat(tooLarge.err().lines()).hasSize(1).allMatch(l -> l.contains("bytes of media fit"));
    }

    @Test
    void legacySendAndListenExchangeAnEncryptedMessage() throws Exception {
        String legacy = server.legacyUri().toString();
        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--protocol", "legacy", "--server", legacy, "--seed", BOB, "--id", "bob-cli",
                        "--count", "1", "--timeout", "20", "--json"));
        awaitLegacyOnline("bob-cli");
        Run sent = run("send", "--protocol", "legacy", "--server", legacy, "--seed", ALICE, "--id", "alice-cli",
                "--to", "bob-cli", "--text", "over 3005");
        assertThat(sent.status()).as(sent.err()).isZero();
        Run listened = listening.get(30, TimeUnit.SECONDS);
        assertThat(listened.status()).as(listened.err()).isZero();
        assertThat(listened.out()).contains("\"from\":\"alice-cli\"", "\"text\":\"over 3005\"");
    }

    @Test
    void chatSendsEachTypedLineAndHonoursItsCommands() throws Exception {
        String l2ps = server.l2psUri().toString();
        String carol = "c3".repeat(128);
        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--server", l2ps, "--seed", carol, "--count", "3", "--timeout", "20", "--json"));
        awaitOnline(key(carol));
        String typed = "before a recipient\n/peers\n/help\n/nope\n/to " + key(carol) + "\nfirst line\n\n//slash line\n"
                + "second line\n/quit\nnever sent\n";
        String out = chat(typed, "chat", "--server", l2ps, "--seed", ALICE);
        assertThat(out).contains("choose a recipient first", "online: [", "commands: /to KEY-OR-ID",
                "unknown command /nope; not sent", "now writing to " + key(carol), "(delivered)",
                "(no recipient)> ", "to " + key(carol).substring(0, 8) + "…> ");
        Run listened = listening.get(30, TimeUnit.SECONDS);
        assertThat(listened.out()).contains("\"text\":\"first line\"", "\"text\":\"/slash line\"",
                "\"text\":\"second line\"").doesNotContain("never sent", "/help", "/nope");
    }

    @Test
    void legacyChatConfirmsSendsAndPrintsAFailureOnce() throws Exception {
        String legacy = server.legacyUri().toString();
        String typed = "/to nobody-here\nhello?\n/quit\n";
        String out = chat(typed, "chat", "--protocol", "legacy", "--server", legacy, "--seed", ALICE, "--id", "alice-chat");
        // an offline target without a known key: one line, naming the flag that fixes it
        assertThat(out).containsOnlyOnce("(not sent: ").contains("--kem-key").doesNotContain("sendText");
        assertThat(out.lines().filter(l -> l.contains("No ML-KEM key"))).hasSize(1);
        assertThat(out).doesNotContain("(error: ");

        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--protocol", "legacy", "--server", legacy, "--seed", BOB, "--id", "bob-chat",
                        "--count", "1", "--timeout", "20", "--json"));
        awaitLegacyOnline("bob-chat");
        String confirmed = chat("/to bob-chat\nhi bob\n/quit\n", "chat", "--protocol", "legacy", "--server", legacy,
                "--seed", ALICE, "--id", "alice-chat2");
        assertThat(confirmed).contains("(sent)");
        assertThat(listening.get(30, TimeUnit.SECONDS).out()).contains("\"text\":\"hi bob\"");
    }

    /** Runs chat with {@code typed} as its input and a prompt, as on a terminal; returns what it printed. */
    private static String chat(String typed, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.newCommandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ChatCommand.class) {
                    return type.cast(new ChatCommand(new java.io.ByteArrayInputStream(
                            typed.getBytes(java.nio.charset.StandardCharsets.UTF_8)), true));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        cmd.setOut(new PrintWriter(out, true));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    // issue 14 item 7: the server's demand for server-bound proofs, and against it, send and listen sign its challenge
    @Test
    void serverBoundProofsAreRequiredOnlyInHardenedModeAndTheClientSignsThem(@TempDir Path dir) throws Exception {
        Run refused = run("server", "--mode", "reference", "--require-server-bound-proof", "--l2ps-port", "0",
                "--legacy-port", "-1", "--data-dir", dir.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("--require-server-bound-proof").contains("needs hardened mode");
        try (DemosImServer strict = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .requireServerBoundProof(true).start()) {
            String uri = strict.l2psUri().toString();
            String bobKem = Identity.fromMasterSeed(HexFormat.of().parseHex(BOB)).mlKemPublicKey().toBase64();
            Run sent = run("send", "--server", uri, "--seed", ALICE, "--to", key(BOB), "--kem-key", bobKem, "--text",
                    "bound", "--json");
            assertThat(sent.status()).as(sent.err()).isZero();
            Run got = run("listen", "--server", uri, "--seed", BOB, "--count", "1", "--timeout", "20", "--json");
            assertThat(got.status()).as(got.err()).isZero();
            assertThat(got.out()).contains("\"text\":\"bound\"");
        }
    }

    @Test
    void listenFailsWhenTheCountIsNotReached() {
        Run run = run("listen", "--server", server.l2psUri().toString(), "--seed", "99".repeat(128), "--count", "1",
                "--timeout", "1");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("timed out after 1 s with 0 of 1");
    }

    @Test
    void badInputGetsOneLineAndAUsageStatus() {
        Run badMode = run("server", "--mode", "fast");
        assertThat(badMode.status()).isEqualTo(2);
        assertThat(badMode.err()).contains("--mode must be hardened or reference");
        Run badSeed = run("send", "--seed", "xyz", "--to", "k", "--text", "t");
        assertThat(badSeed.status()).isEqualTo(2);
        assertThat(badSeed.err()).contains("--seed is not hexadecimal");
        Run legacyWithoutId = run("send", "--protocol", "legacy", "--seed", ALICE, "--to", "k", "--text", "t");
        assertThat(legacyWithoutId.status()).isEqualTo(2);
        assertThat(legacyWithoutId.err()).contains("needs --id");
        Run missing = run("send", "--seed", ALICE, "--text", "t");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("send: Missing required option: '--to=KEY-OR-ID' (see 'demos-im send --help')\n");
        Run unknownOption = run("listen", "--colour");
        assertThat(unknownOption.status()).isEqualTo(2);
        assertThat(unknownOption.err().lines()).hasSize(1).allMatch(l -> l.endsWith("(see 'demos-im listen --help')"));
        for (Run usage : List.of(badMode, badSeed, legacyWithoutId, missing, unknownOption)) {
            assertThat(usage.err().lines()).as(usage.err()).hasSize(1);
            assertThat(usage.out()).isEmpty();
        }
    }

    @Test
    void anUnknownTransportIsAUsageError() {
        Run run = run("send", "--seed", ALICE, "--to", "k", "--text", "t", "--transport", "nope");
        assertThat(run.status()).isEqualTo(2);
        // The installed transports: the command's two, and the JDK's, which the tests add for the wss:// checks.
        assertThat(run.err()).isEqualTo("send: --transport must be one of java-websocket, jdk, tyrus, not 'nope'"
                + " (see 'demos-im send --help')\n");
        assertThat(run("demo", "--transport", "nope").status()).isEqualTo(2);
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = run();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("demos-im: no command given; commands: demo, server, keygen, send, listen, "
                + "history, chat (see 'demos-im --help')\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void seedsAreOneSizeEverywhere(@TempDir Path dir) throws Exception {
        Run shortSeed = run("keygen", "--seed", "00010203");
        assertThat(shortSeed.status()).isEqualTo(2);
        assertThat(shortSeed.err()).contains("--seed holds 4 bytes; a master seed has 128");
        Path file = dir.resolve("short.seed");
        Files.writeString(file, "00010203\n");
        Run shortFile = run("keygen", "--seed-file", file.toString());
        assertThat(shortFile.status()).isEqualTo(2);
        assertThat(shortFile.err()).contains("--seed-file " + file + " holds 4 bytes");
        assertThat(run("keygen", "--seed", ALICE).status()).isZero();
    }

    @Test
    void versionIsTheArtifactsVersion() {
        Run run = run("--version");
        assertThat(run.status()).isZero();
        String expected = System.getProperty("demos.im.version");
        assertThat(expected).as("set by cli/pom.xml").isNotBlank();
        assertThat(run.out()).startsWith("demos-im " + expected + "\n");
    }

    @Test
    void topLevelHelpFitsEightyColumnsAndSaysEachCommandInFull() {
        Run run = run("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out().lines()).allMatch(l -> l.length() <= 80, "at most 80 characters");
        for (String command : List.of("demo", "server", "keygen", "send", "listen", "history", "chat")) {
            assertThat(run.out().lines().filter(l -> l.startsWith("  " + command + " ")))
                    .as(command).singleElement().satisfies(l -> assertThat(l.strip()).endsWith("."));
        }
    }

    @Test
    void aClientAtTheOtherProtocolsPortIsToldSo() {
        Run l2psAtLegacy = run("send", "--server", server.legacyUri().toString(), "--seed", ALICE, "--to", key(BOB),
                "--text", "t");
        assertThat(l2psAtLegacy.status()).isEqualTo(1);
        assertThat(l2psAtLegacy.err()).contains("speaks the legacy signaling protocol", "--protocol legacy",
                "IM-REQUEST-005").doesNotContain("Timeout", "MessagingPeer");
        Run legacyAtL2ps = run("send", "--protocol", "legacy", "--id", "lost", "--server", server.l2psUri().toString(),
                "--seed", ALICE, "--to", "bob", "--text", "t");
        assertThat(legacyAtL2ps.status()).isEqualTo(1);
        assertThat(legacyAtL2ps.err()).contains("speaks the L2PS messaging protocol", "IM-REQUEST-005")
                .doesNotContain("Timeout", "L2psMessagingPeer");
    }

    @Test
    void legacySendToAnOfflinePeerNamesTheKemKeyFlag() {
        Run run = run("send", "--protocol", "legacy", "--server", server.legacyUri().toString(), "--seed", ALICE,
                "--id", "alice-offline", "--to", "nobody", "--text", "t");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .contains("'nobody'", "--kem-key BASE64", "IM-REQUEST-003").doesNotContain("sendText");
        Run withKey = run("send", "--protocol", "legacy", "--server", server.legacyUri().toString(), "--seed", ALICE,
                "--id", "alice-offline", "--to", "nobody", "--text", "t", "--kem-key",
                Identity.fromMasterSeed(HexFormat.of().parseHex(BOB)).mlKemPublicKey().toBase64());
        assertThat(withKey.status()).as(withKey.err()).isZero();
        assertThat(withKey.out()).startsWith("queued");
    }

    @Test
    void failuresNameTheCommandsFlagsNotTheSdks() throws Exception {
        Run refused = run("send", "--server", "ws://127.0.0.1:1", "--seed", ALICE, "--to", "k", "--text", "t",
                "--connect-timeout", "2");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("send: ").contains("IM-TRANSPORT-001").doesNotContain("\tat ");
        // a server that accepts the TCP connection and never answers: the connect times out
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (String transport : List.of("java-websocket", "tyrus")) {
                Run run = run("send", "--server", "ws://127.0.0.1:" + silent.getLocalPort(), "--seed", ALICE,
                        "--to", "k", "--text", "t", "--connect-timeout", "1", "--transport", transport);
                assertThat(run.status()).isEqualTo(1);
                assertThat(run.err().lines()).as(transport).singleElement().asString().startsWith("send: ")
                        .contains("IM-TRANSPORT-001").doesNotContain("TransportOptions", "builder", "TimeoutException");
            }
        }
        for (Run run : List.of(refused)) {
            assertThat(run.err()).doesNotContain("TransportOptions", "builder", "in code");
        }
    }

    @Test
    void historyPrintsEveryTimestampInOneFormat() throws Exception {
        String l2ps = server.l2psUri().toString();
        String dave = "d4".repeat(128);
        for (int i = 0; i < 3; i++) {
            Run sent = run("send", "--server", l2ps, "--seed", ALICE, "--to", key(dave), "--text", "m" + i,
                    "--kem-key", Identity.fromMasterSeed(HexFormat.of().parseHex(dave)).mlKemPublicKey().toBase64());
            assertThat(sent.status()).as(sent.err()).isZero();
        }
        String iso = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
        Run text = run("history", "--server", l2ps, "--seed", ALICE, "--peer", key(dave));
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out().lines()).hasSize(3).allMatch(l -> l.matches(iso + "  me -> peer  .*"));
        Run json = run("history", "--server", l2ps, "--seed", ALICE, "--peer", key(dave), "--json");
        assertThat(json.out().lines()).hasSize(3).allMatch(l -> l.matches(".*\"timestamp\":\"" + iso + "\".*"));
    }

    /** Hang guard of the waits for a listener to come online (it registers in another thread, at its own pace). */
    private static final long ONLINE_GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static void awaitOnline(String key) throws InterruptedException {
        Identity probe = Identity.fromMasterSeed(new byte[] {42});
        try (var peer = io.github.demosim.L2psMessagingPeer.newBuilder().serverUri(server.l2psUri()).identity(probe)
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).transport("java-websocket").build()) {
            peer.connect().join();
            long deadline = System.nanoTime() + ONLINE_GUARD_NANOS;
            while (!peer.discover().join().contains(key)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(key + " never came online");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Waits until a legacy client id is registered: the legacy {@code discover} lists every registered id (§A.3). */
    private static void awaitLegacyOnline(String clientId) throws InterruptedException {
        Identity probe = Identity.fromMasterSeed(new byte[] {43});
        try (var peer = io.github.demosim.MessagingPeer.newBuilder().serverUri(server.legacyUri())
                .clientId("probe-" + clientId).identity(probe).transport("java-websocket").build()) {
            peer.connect().join();
            long deadline = System.nanoTime() + ONLINE_GUARD_NANOS;
            while (!peer.discover().join().contains(clientId)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(clientId + " never came online");
                }
                Thread.sleep(100);
            }
        }
    }
}
