package io.github.demosim.tck.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at test time with the JDK's {@code keytool}, and
 * a client {@link SSLContext} that trusts exactly that certificate.
 *
 * @param keyStore the server's PKCS#12 key store
 * @param password its password
 */
public record SelfSignedTls(KeyStore keyStore, String password) {
    private static final String ALIAS = "server";

    /**
     * Generates a fresh key pair and certificate.
     *
     * @return the key material
     * @throws Exception if keytool fails
     */
    public static SelfSignedTls generate() throws Exception {
        Path dir = Files.createTempDirectory("demos-im-tls");
        Path file = dir.resolve("server.p12");
        String password = "changeit";
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, password.toCharArray());
        } finally {
            for (Path p : List.of(file, dir)) {
                Files.deleteIfExists(p);
            }
        }
        return new SelfSignedTls(keyStore, password);
    }

    /**
     * Returns a client TLS context that trusts this certificate only.
     *
     * @return the context
     * @throws GeneralSecurityException if the JDK cannot build it
     * @throws IOException never, in practice
     */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, keyStore.getCertificate(ALIAS));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
