package io.github.demosim.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as an operator runs it (docs/operations.md): the jlink image's launcher in a process of its own,
 * stopped by its PID, scraped and probed over HTTP, configured from the environment.
 */
class OperationsIT {
    private static final String L2PS = "testnet_l2ps_001";

    @Test
    void sigtermToTheLauncherPidStopsTheServerGracefullyWithStatusZero(@TempDir Path dir) throws Exception {
        try (ImageServer server = ImageServer.start(Map.of(), "--l2ps-port", "0", "--legacy-port", "0",
                "--data-dir", dir.toString())) {
            // The launcher replaced itself with the JVM (exec): the PID a service manager holds is the JVM's.
            ProcessHandle handle = server.process.toHandle();
            assertThat(handle.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/bin/java"));
            List<ProcessHandle> descendants = handle.descendants().toList();
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.l2psPort + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                            closeCode.complete(statusCode);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);

            // SIGTERM to the PID we started, as an operator or a service manager sends it
            Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(handle.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();

            assertThat(server.awaitExit()).as(server.output()).isZero();
            assertThat(server.output()).contains("demos-im server stopping (SIGTERM)", "demos-im server stopped");
            assertThat(closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1001); // going away: the documented stop
            assertThat(client.isInputClosed()).isTrue();
            for (int port : new int[] {server.l2psPort, server.legacyPort}) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    }
                }).isInstanceOf(ConnectException.class);
            }
            assertThat(descendants).noneMatch(ProcessHandle::isAlive);
            assertThat(ProcessHandle.allProcesses())
                    .noneMatch(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString()))
                            .orElse(false));
        }
    }

    @Test
    void metricsScrapedOverHttpFollowTheMessages(@TempDir Path dir) throws Exception {
        try (ImageServer server = ImageServer.start(Map.of(), "--l2ps-port", "0", "--legacy-port", "0",
                "--admin-port", "0", "--data-dir", dir.toString())) {
            HttpResponse<String> first = server.admin("/metrics");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain"));
            assertThat(first.body()).contains("# TYPE demos_im_messages_accepted_total counter",
                    "jvm_memory_used_bytes", "jvm_threads_current");
            assertThat(ImageServer.metric(first.body(), "demos_im_messages_accepted_total{protocol=\"l2ps\"}")).isZero();

            URI uri = URI.create("ws://127.0.0.1:" + server.l2psPort + "/");
            Identity bob = Identity.generate();
            LinkedBlockingQueue<String> bobGot = new LinkedBlockingQueue<>();
            try (L2psMessagingPeer alice = peer(uri, Identity.generate())) {
                alice.connect().get(60, TimeUnit.SECONDS);
                SendResult queued = alice.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(), "while away")
                        .get(60, TimeUnit.SECONDS);
                assertThat(queued.outcome()).isEqualTo(SendOutcome.QUEUED);
                assertThat(server.metric("demos_im_messages_queued_total{protocol=\"l2ps\"}")).isEqualTo(1);
                assertThat(server.metric("demos_im_connections{protocol=\"l2ps\"}")).isEqualTo(1);
                server.awaitAdmin("/metrics", r -> unfinished(r.body()) == 1, Duration.ofSeconds(60));

                try (L2psMessagingPeer bobPeer = peer(uri, bob)) {
                    bobPeer.onMessage(m -> bobGot.add(m.text().orElse("?")));
                    bobPeer.connect().get(60, TimeUnit.SECONDS);
                    assertThat(bobGot.poll(60, TimeUnit.SECONDS)).isEqualTo("while away");
                    SendResult live = alice.sendText(bob.ed25519PublicKeyHex(), bob.mlKemPublicKey(), "now")
                            .get(60, TimeUnit.SECONDS);
                    assertThat(live.outcome()).isEqualTo(SendOutcome.DELIVERED);
                    assertThat(bobGot.poll(60, TimeUnit.SECONDS)).isEqualTo("now");

                    // The redelivery is counted once its writes are confirmed, on bob's connection: wait for it.
                    String m = server.awaitAdmin("/metrics", r -> ImageServer.metric(r.body(),
                            "demos_im_messages_redelivered_total{protocol=\"l2ps\"}") == 1,
                            Duration.ofSeconds(60)).body();
                    assertThat(ImageServer.metric(m, "demos_im_messages_accepted_total{protocol=\"l2ps\"}")).isEqualTo(2);
                    assertThat(ImageServer.metric(m, "demos_im_messages_queued_total{protocol=\"l2ps\"}")).isEqualTo(1);
                    assertThat(ImageServer.metric(m, "demos_im_messages_delivered_live_total{protocol=\"l2ps\"}"))
                            .isEqualTo(1);
                    assertThat(ImageServer.metric(m, "demos_im_messages_redelivered_total{protocol=\"l2ps\"}"))
                            .isEqualTo(1);
                    assertThat(ImageServer.metric(m, "demos_im_connections{protocol=\"l2ps\"}")).isEqualTo(2);
                    assertThat(ImageServer.metric(m, "demos_im_registered_peers{protocol=\"l2ps\"}")).isEqualTo(2);
                    assertThat(m).contains("# TYPE demos_im_store_write_seconds histogram",
                            "demos_im_store_write_seconds_bucket{operation=\"insert\",le=\"+Inf\"} 2");
                    assertThat(ImageServer.metric(m, "demos_im_store_write_seconds_count{operation=\"insert\"}"))
                            .isEqualTo(2);
                    // Read from the database (answers are kept for a second) and moving on as batches go out:
                    // both messages are somewhere in the unfinished part of the pipeline.
                    server.awaitAdmin("/metrics", r -> unfinished(r.body()) == 2, Duration.ofSeconds(60));
                }
            }

            // An error frame is counted by its code.
            LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
            WebSocket raw = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    replies.add(data.toString());
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            raw.sendText("{\"type\":\"send\",\"payload\":{}}", true).get(30, TimeUnit.SECONDS);
            assertThat(replies.poll(60, TimeUnit.SECONDS)).contains("REGISTRATION_REQUIRED");
            assertThat(server.metric("demos_im_errors_total{code=\"REGISTRATION_REQUIRED\",protocol=\"l2ps\"}"))
                    .isEqualTo(1);
            raw.abort();
            server.awaitAdmin("/metrics", r -> ImageServer.metric(r.body(), "demos_im_connections{protocol=\"l2ps\"}")
                    == 0, Duration.ofSeconds(60));
        }
    }

    private static double unfinished(String exposition) {
        return ImageServer.metric(exposition, "demos_im_pipeline_messages{status=\"l2ps_pending\"}")
                + ImageServer.metric(exposition, "demos_im_pipeline_messages{status=\"l2ps_batched\"}");
    }

    private static L2psMessagingPeer peer(URI uri, Identity identity) {
        return L2psMessagingPeer.newBuilder().serverUri(uri).identity(identity).l2psUid(L2PS).transport("java-websocket")
                .build();
    }

    @Test
    void readinessIsFalseWhileTheDatabaseIsDownAndTrueAfter(@TempDir Path dir) throws Exception {
        try (H2Tcp database = new H2Tcp(dir);
                ImageServer server = ImageServer.start(Map.of("DEMOS_IM_DB_PASSWORD", "pw-for-readiness"),
                        "--l2ps-port", "0", "--legacy-port", "0", "--admin-port", "0", "--db", database.url(),
                        "--db-user", "sa")) {
            HttpResponse<String> ready = server.admin("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");

            database.down();
            HttpResponse<String> down = server.awaitAdmin("/health/ready", r -> r.statusCode() == 503,
                    Duration.ofSeconds(60));
            assertThat(down.body()).startsWith("database: ");
            assertThat(server.admin("/health/live").statusCode()).isEqualTo(200); // down is not dead: no restart
            assertThat(server.metric("demos_im_ready")).isZero();

            database.up();
            server.awaitAdmin("/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(server.metric("demos_im_ready")).isEqualTo(1);
            assertThat(server.output()).doesNotContain("pw-for-readiness");
        }
    }

    @Test
    void everyFlagComesFromTheEnvironmentFlagsWinAndSecretsStayOut(@TempDir Path dir) throws Exception {
        String secret = "Pw-" + Long.toHexString(System.nanoTime()) + "-secret";
        try (H2Tcp database = new H2Tcp(dir)) {
            Map<String, String> env = Map.of("DEMOS_IM_L2PS_PORT", "0", "DEMOS_IM_LEGACY_PORT", "-1",
                    "DEMOS_IM_ADMIN_PORT", "0", "DEMOS_IM_MODE", "reference", "DEMOS_IM_NETWORK", "net_a,net_b",
                    "DEMOS_IM_DB", database.url(), "DEMOS_IM_DB_USER", "sa", "DEMOS_IM_DB_PASSWORD", secret);
            try (ImageServer server = ImageServer.start(env, "--legacy-port", "0")) { // the flag wins over -1
                assertThat(server.output()).contains("(reference mode), networks ", "net_a", "net_b",
                        "database:         " + database.url());
                assertThat(server.l2psPort).isPositive();
                assertThat(server.legacyPort).isPositive();
                assertThat(server.adminPort).isPositive();
                assertThat(server.admin("/health/ready").statusCode()).isEqualTo(200); // the password worked
                server.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our pipe
                assertThat(server.awaitExit()).isZero();
                assertThat(server.output()).doesNotContain(secret);
            }

            ImageServer.Run help = ImageServer.run(env, "server", "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.output()).contains("--db-password", "--admin-port", "--tls-cert", "DEMOS_IM_ADMIN_PORT")
                    .doesNotContain(secret);

            Map<String, String> wrong = new java.util.HashMap<>(env);
            wrong.put("DEMOS_IM_DB_PASSWORD", secret + "-wrong");
            for (String verbose : new String[] {"--l2ps-port=0", "--verbose"}) {
                ImageServer.Run refused = ImageServer.run(wrong, "server", verbose);
                assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output()).contains("database").doesNotContain(secret);
            }
        }
    }

}
