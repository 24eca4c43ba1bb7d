package io.github.demosim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.server.DemosImServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as scripts use them, in-process, against an embedded server on loopback. */
class CliTests {
    private static final String ALICE = "0001020304050607";
    private static final String BOB = "8081828384858687";
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
        String carol = "c0c1c2c3";
        CompletableFuture<Run> listening = CompletableFuture.supplyAsync(() ->
                run("listen", "--server", l2ps, "--seed", carol, "--count", "2", "--timeout", "20", "--json"));
        awaitOnline(key(carol));
        String typed = "before a recipient\n/peers\n/to " + key(carol) + "\nfirst line\n\nsecond line\n/quit\nnever sent\n";
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.newCommandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ChatCommand.class) {
                    return type.cast(new ChatCommand(new java.io.ByteArrayInputStream(typed.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("chat", "--server", l2ps, "--seed", ALICE)).isZero();
        assertThat(out.toString()).contains("choose a recipient first", "online: [", "now writing to " + key(carol), "(delivered)");
        Run listened = listening.get(30, TimeUnit.SECONDS);
        assertThat(listened.out()).contains("\"text\":\"first line\"", "\"text\":\"second line\"").doesNotContain("never sent");
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
        Run run = run("listen", "--server", server.l2psUri().toString(), "--seed", "99", "--count", "1", "--timeout", "1");
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
        Run legacyWithoutId = run("send", "--protocol", "legacy", "--seed", "00", "--to", "k", "--text", "t");
        assertThat(legacyWithoutId.status()).isEqualTo(2);
        assertThat(legacyWithoutId.err()).contains("needs --id");
        Run refused = run("send", "--server", "ws://127.0.0.1:1", "--seed", "00", "--to", "k", "--text", "t",
                "--connect-timeout", "2");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("send: ").contains("IM-TRANSPORT-001").doesNotContain("\tat ");
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
        try (var peer = io.github.demosim.MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId("probe-cli")
                .identity(probe).transport("java-websocket").build()) {
            peer.connect().join();
            long deadline = System.nanoTime() + ONLINE_GUARD_NANOS;
            while (!peer.discoverPeers().join().contains(clientId)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(clientId + " never came online");
                }
                Thread.sleep(100);
            }
        }
    }
}
