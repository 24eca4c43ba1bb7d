package io.github.demosim.server.internal.tls;

import io.github.demosim.server.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's certificate and key into an in-memory keystore, from PEM files or a PKCS#12 file. Every
 * failure is an {@link IllegalArgumentException} that names the file and says what to do; key material and
 * passwords never appear in messages.
 */
final class TlsCertificates {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "RSASSA-PSS", "Ed25519"};

    /**
     * A loaded keystore with the password that opens its key.
     *
     * @param store the keystore
     * @param password its key password
     */
    record Loaded(KeyStore store, String password) {
    }

    private TlsCertificates() {
    }

    static Loaded load(ServerTls tls) {
        return tls.keystore() != null ? pkcs12(tls.keystore(), tls.password()) : pem(tls.certificate(), tls.privateKey());
    }

    private static Loaded pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return new Loaded(store, new String(password));
                }
            }
            throw new IllegalArgumentException("the TLS keystore " + file + " holds no private key; it needs the"
                    + " server's key with its certificate chain");
        } catch (IOException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            throw new IllegalArgumentException("cannot read the TLS keystore " + file + ": " + e.getMessage()
                    + " (is it PKCS#12, and the password right?)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static Loaded pem(Path certificateFile, Path keyFile) {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + certificateFile + ": "
                    + e.getMessage() + " (expected PEM: -----BEGIN CERTIFICATE-----)", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the TLS certificate file " + certificateFile + " holds no certificate");
        }
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            String password = randomPassword();
            store.setKeyEntry("server", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return new Loaded(store, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS key " + keyFile + " does not go with the certificate "
                    + certificateFile + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile) {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS key " + keyFile + ": " + e, e);
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                for (String algorithm : KEY_ALGORITHMS) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                        // try the next algorithm
                    }
                }
                throw new IllegalArgumentException("the TLS key " + keyFile + " is PKCS#8 but neither RSA nor EC");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("the TLS key " + keyFile + " is a " + type + "; convert it to"
                        + " unencrypted PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pem");
            }
        }
        throw new IllegalArgumentException("the TLS key " + keyFile + " holds no PEM private key"
                + " (-----BEGIN PRIVATE KEY-----)");
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** What identifies the files' current content for change detection: size and modification time of each. */
    static String fingerprint(ServerTls tls) {
        StringBuilder f = new StringBuilder();
        for (Path p : tls.keystore() != null ? new Path[] {tls.keystore()}
                : new Path[] {tls.certificate(), tls.privateKey()}) {
            try {
                f.append(Files.size(p)).append('@').append(Files.getLastModifiedTime(p).toMillis()).append(';');
            } catch (IOException e) {
                f.append("missing;");
            }
        }
        return f.toString();
    }

}
