package io.github.demosim.cli.ops;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate made at test time with the JDK's keytool (for 127.0.0.1 and localhost), in
 * the forms the server reads: a PKCS#12 keystore, and PEM certificate and key files.
 */
final class TestCertificates {
    static final String PASSWORD = "test-keystore-password";

    final Path keystore;
    final Path certificatePem;
    final Path keyPem;
    final X509Certificate certificate;

    private TestCertificates(Path keystore, Path certificatePem, Path keyPem, X509Certificate certificate) {
        this.keystore = keystore;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.certificate = certificate;
    }

    static TestCertificates create(Path dir, String commonName) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("server.p12");
        Files.deleteIfExists(keystore);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=" + commonName, "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("server");
        Path certPem = dir.resolve("server.crt");
        Path keyPem = dir.resolve("server.key");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ks.getKey("server", PASSWORD.toCharArray()).getEncoded()));
        return new TestCertificates(keystore, certPem, keyPem, cert);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A client TLS context that trusts exactly these certificates (a custom trust store). */
    static SSLContext trusting(Certificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

}
