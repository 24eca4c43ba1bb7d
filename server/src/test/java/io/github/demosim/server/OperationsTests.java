package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port and TLS settings of an embedded server (docs/operations.md); the same seen from outside, on the
 * command's own process, is in the CLI's integration tests.
 */
class OperationsTests {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static HttpResponse<String> request(int port, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminPortAnswersOnlyItsPathsAndEachServerCountsForItself() throws Exception {
        try (DemosImServer a = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().adminPort(0)
                .start();
                DemosImServer b = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                        .adminPort(0).start()) {
            assertThat(a.adminPort()).isPositive().isNotEqualTo(b.adminPort());
            assertThat(request(a.adminPort(), "GET", "/health/live").body()).isEqualTo("live\n");
            assertThat(request(a.adminPort(), "GET", "/health/ready").statusCode()).isEqualTo(200);
            assertThat(request(a.adminPort(), "GET", "/").statusCode()).isEqualTo(404);
            HttpResponse<String> post = request(a.adminPort(), "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

            // an error on a's L2PS port shows in a's metrics only
            try (WsClient ws = WsClient.connect(a.l2psUri())) {
                ws.send("not json");
                assertThat(Wire.type(ws.next())).isEqualTo("error");
            }
            assertThat(request(a.adminPort(), "GET", "/metrics").body())
                    .contains("demos_im_errors_total{code=\"INVALID_MESSAGE\",protocol=\"l2ps\"} 1.0");
            String bMetrics = request(b.adminPort(), "GET", "/metrics").body();
            assertThat(bMetrics).doesNotContain("demos_im_errors_total{").doesNotContain("protocol=\"legacy\"")
                    .as("no file: no sample").doesNotContainPattern("(?m)^demos_im_store_file_bytes ");

            int port = a.adminPort();
            a.stop();
            assertThatThrownBy(() -> request(port, "GET", "/health/live")).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void legacyMessagesAreCountedLikeL2psOnes() throws Exception {
        try (DemosImServer s = DemosImServer.newBuilder().disableL2ps().legacyPort(0).inMemoryDatabase().adminPort(0)
                .start();
                LegacyPeer carol = new LegacyPeer(WsClient.connect(s.legacyUri()), LegacyPeer.newId())) {
            carol.register();
            String bob = LegacyPeer.newId();
            carol.send(bob, Wire.obj("algorithm", "ml-kem-aes", "i", 1)); // bob is offline: stored
            assertThat(Wire.type(carol.ws.next())).isEqualTo("message_queued");
            try (LegacyPeer b = new LegacyPeer(WsClient.connect(s.legacyUri()), bob)) {
                b.register();
                b.ws.next("message"); // the stored one, on registration (legacy-and-crypto.md §A.8)
                carol.send(bob, Wire.obj("algorithm", "ml-kem-aes", "i", 2)); // bob is online: forwarded
                b.ws.next("message");
                // The redelivery is counted once its writes are confirmed, on bob's connection: wait for it.
                String m = request(s.adminPort(), "GET", "/metrics").body();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!m.contains("demos_im_messages_redelivered_total{protocol=\"legacy\"} 1.0")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    m = request(s.adminPort(), "GET", "/metrics").body();
                }
                assertThat(m).contains("demos_im_messages_accepted_total{protocol=\"legacy\"} 2.0",
                        "demos_im_messages_queued_total{protocol=\"legacy\"} 1.0",
                        "demos_im_messages_redelivered_total{protocol=\"legacy\"} 1.0",
                        "demos_im_messages_delivered_live_total{protocol=\"legacy\"} 1.0",
                        "demos_im_registered_peers{protocol=\"legacy\"} 2.0",
                        "demos_im_store_write_seconds_count{operation=\"insertLegacyOffline\"} 1");
            }
        }
    }

    // docs/operations.md: the embedded H2 file's size, for the disk to be watched (the file still grows under load)
    @Test
    void theH2FilesSizeIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db.mv.db");
        try (DemosImServer s = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseFile(dir.resolve("db"))
                .adminPort(0).start()) {
            Pattern sample = Pattern.compile("(?m)^demos_im_store_file_bytes (\\S+)$");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                // the first sample comes once the housekeeping found H2's store; the file may grow between reads
                Matcher m = sample.matcher(request(s.adminPort(), "GET", "/metrics").body());
                long onDisk = Files.size(file);
                if (m.find() && Double.parseDouble(m.group(1)) == onDisk) {
                    assertThat(onDisk).isPositive();
                    return;
                }
                assertThat(System.nanoTime()).as("the gauge reports the file's size").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void noAdminPortByDefault() {
        try (DemosImServer s = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            assertThat(s.adminPort()).isEqualTo(-1);
            assertThat(s.l2psUri().getScheme()).isEqualTo("ws");
        }
    }

    @Test
    void aTakenAdminPortFailsTheStartAndLeavesNothingBound() throws Exception {
        try (DemosImServer first = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .adminPort(0).start()) {
            assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                    .adminPort(first.adminPort()).start())
                    .isInstanceOfSatisfying(ImException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                    .hasMessageContaining("admin port");
        }
    }

    @Test
    void unreadableTlsFilesFailTheStartNamingTheFileAndTheFix(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> start(ServerTls.pem(missing, missing)))
                .isInstanceOfSatisfying(ImException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                .hasMessageContaining(missing.toString());

        Path notPem = Files.writeString(dir.resolve("cert.pem"), "hello", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> start(ServerTls.pem(notPem, notPem)))
                .hasMessageContaining("cannot read the TLS certificate " + notPem);

        Path p12 = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "s", "-keyalg", "EC", "-dname", "CN=t",
                "-validity", "1", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "right-pass",
                "-keypass", "right-pass").redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        assertThatThrownBy(() -> start(ServerTls.pkcs12(p12, "wrong-pass".toCharArray())))
                .hasMessageContaining("cannot read the TLS keystore " + p12)
                .hasMessageNotContaining("wrong-pass").hasMessageNotContaining("right-pass");

        // a PKCS#1 key: refused with the command that converts it
        String cert = runKeytool(keytool, "-exportcert", "-rfc", "-alias", "s", "-keystore", p12.toString(),
                "-storepass", "right-pass");
        Path certPem = Files.writeString(dir.resolve("s.crt"), cert);
        Path rsaKey = Files.writeString(dir.resolve("s.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> start(ServerTls.pem(certPem, rsaKey)))
                .hasMessageContaining("RSA PRIVATE KEY").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");

        // and the right one serves wss://
        try (DemosImServer s = start(ServerTls.pkcs12(p12, "right-pass".toCharArray()))) {
            assertThat(s.l2psUri().getScheme()).isEqualTo("wss");
            assertThat(s.legacyUri().getScheme()).isEqualTo("wss");
        }
    }

    private static DemosImServer start(ServerTls tls) {
        return DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().tls(tls).start();
    }

    private static String runKeytool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return out;
    }
}
