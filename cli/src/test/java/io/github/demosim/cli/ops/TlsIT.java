package io.github.demosim.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wss://} on both protocol ports of the image's server, from PEM files and from a PKCS#12 keystore, with a
 * self-signed certificate made at test time; every client transport connects with a trust store that holds it.
 */
class TlsIT {
    private static final String[] TRANSPORTS = {"jdk", "java-websocket", "tyrus"};

    @Test
    void pemCertificateServesWssToEveryTransportOnBothPorts(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"), "demos-im test");
        try (ImageServer server = ImageServer.start(Map.of(), "--l2ps-port", "0", "--legacy-port", "0",
                "--data-dir", dir.toString(), "--tls-cert", certs.certificatePem.toString(), "--tls-key",
                certs.keyPem.toString())) {
            assertThat(server.output()).contains("wss://127.0.0.1:" + server.l2psPort + "/",
                    "wss://127.0.0.1:" + server.legacyPort + "/");
            SSLContext trusting = TestCertificates.trusting(certs.certificate);
            for (String transport : TRANSPORTS) {
                // L2PS: an unregistered send is answered with REGISTRATION_REQUIRED (l2ps.md §5.4)
                assertThat(exchange(transport, trusting, server.l2psPort, "{\"type\":\"send\",\"payload\":{}}"))
                        .as(transport).contains("REGISTRATION_REQUIRED");
                // legacy: so is a message before register (legacy-and-crypto.md §A.6)
                assertThat(exchange(transport, trusting, server.legacyPort,
                        "{\"type\":\"message\",\"payload\":{\"targetId\":\"x\",\"message\":\"y\"}}"))
                        .as(transport).contains("REGISTRATION_REQUIRED");
                // and without the custom trust store the self-signed certificate is refused
                assertThatThrownBy(() -> exchange(transport, TestCertificates.trusting(), server.l2psPort, "{}"))
                        .as(transport).isNotNull();
            }
        }
    }

    @Test
    void pkcs12KeystoreWithItsPasswordFromTheEnvironment(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"), "demos-im p12");
        try (ImageServer server = ImageServer.start(
                Map.of("DEMOS_IM_TLS_KEYSTORE", certs.keystore.toString(),
                        "DEMOS_IM_TLS_KEYSTORE_PASSWORD", TestCertificates.PASSWORD),
                "--l2ps-port", "0", "--legacy-port", "0", "--data-dir", dir.toString())) {
            assertThat(exchange("java-websocket", TestCertificates.trusting(certs.certificate), server.l2psPort,
                    "{\"type\":\"send\",\"payload\":{}}")).contains("REGISTRATION_REQUIRED");
            assertThat(server.output()).doesNotContain(TestCertificates.PASSWORD);
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart(@TempDir Path dir) throws Exception {
        TestCertificates first = TestCertificates.create(dir.resolve("first"), "first");
        TestCertificates second = TestCertificates.create(dir.resolve("second"), "second");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Files.copy(first.certificatePem, cert);
        Files.copy(first.keyPem, key);
        try (ImageServer server = ImageServer.start(Map.of(), "--l2ps-port", "0", "--legacy-port", "0",
                "--data-dir", dir.toString(), "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--tls-reload", "1")) {
            SSLContext both = TestCertificates.trusting(first.certificate, second.certificate);
            assertThat(servedSerial(both, server.l2psPort)).isEqualTo(first.certificate.getSerialNumber());

            // A renewal as certbot does it: new files moved into place.
            Files.copy(second.keyPem, dir.resolve("key.new"));
            Files.copy(second.certificatePem, dir.resolve("crt.new"));
            Files.move(dir.resolve("key.new"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("crt.new"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!servedSerial(both, server.l2psPort).equals(second.certificate.getSerialNumber())) {
                assertThat(System.nanoTime()).as("the renewed certificate was not picked up:\n" + server.output())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(exchange("jdk", TestCertificates.trusting(second.certificate), server.l2psPort,
                    "{\"type\":\"send\",\"payload\":{}}")).contains("REGISTRATION_REQUIRED");
        }
    }

    private static BigInteger servedSerial(SSLContext context, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Connects over wss:// with a transport, sends one frame and returns the first reply. */
    private static String exchange(String transport, SSLContext context, int port, String frame) throws Exception {
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        TransportOptions options = TransportOptions.newBuilder(URI.create("wss://127.0.0.1:" + port + "/"))
                .sslContext(context).connectTimeout(Duration.ofSeconds(30)).build();
        TransportSession session = TransportProvider.find(transport)
                .connect(options, (TransportListener) (s, text) -> replies.add(text)).get(60, TimeUnit.SECONDS);
        try {
            session.sendText(frame).get(30, TimeUnit.SECONDS);
            String reply = replies.poll(60, TimeUnit.SECONDS);
            assertThat(reply).as("a reply over " + transport).isNotNull();
            return reply;
        } finally {
            session.close(1000, "done").get(30, TimeUnit.SECONDS);
        }
    }
}
