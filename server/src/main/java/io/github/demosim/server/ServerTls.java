package io.github.demosim.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The server's TLS certificate, so that both protocol ports speak {@code wss://}: a PEM certificate chain with
 * its PEM private key, or a PKCS#12 keystore. Pass it to {@link DemosImServer.Builder#tls(ServerTls)}.
 *
 * <p>The files are read at start (a missing or unreadable file fails the start with a message naming it) and then
 * checked every {@link #reloadInterval()}: when they change, new connections get the new certificate while open
 * ones keep theirs, so a renewed certificate needs no restart. A change that does not load (say, a key written
 * before its certificate) is logged and retried at the next check; the old certificate stays in use.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServerTls {
    /** How often the files are checked for changes unless set: {@value} s. */
    public static final int DEFAULT_RELOAD_SECONDS = 60;

    private final Path certificate;
    private final Path privateKey;
    private final Path keystore;
    private final char[] password;
    private final Duration reloadInterval;

    private ServerTls(Path certificate, Path privateKey, Path keystore, char[] password, Duration reloadInterval) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.keystore = keystore;
        this.password = password;
        this.reloadInterval = reloadInterval;
    }

    /**
     * A PEM certificate chain (the server's certificate first, then its intermediates) and its private key, PEM
     * encoded, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}; convert others with
     * {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem}). RSA and EC keys are supported.
     *
     * @param certificateChain the {@code .pem}/{@code .crt} file
     * @param privateKey the key file
     * @return the settings
     */
    public static ServerTls pem(Path certificateChain, Path privateKey) {
        return new ServerTls(Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"), null, null,
                Duration.ofSeconds(DEFAULT_RELOAD_SECONDS));
    }

    /**
     * A PKCS#12 keystore ({@code .p12}/{@code .pfx}) holding one private key with its certificate chain.
     *
     * @param keystore the file
     * @param password its password (for the store and the key); copied
     * @return the settings
     */
    public static ServerTls pkcs12(Path keystore, char[] password) {
        return new ServerTls(null, null, Objects.requireNonNull(keystore, "keystore"),
                Objects.requireNonNull(password, "password").clone(), Duration.ofSeconds(DEFAULT_RELOAD_SECONDS));
    }

    /**
     * Sets how often the files are checked for a renewed certificate. Default:
     * {@value #DEFAULT_RELOAD_SECONDS} s.
     *
     * @param interval positive, or zero to never reload
     * @return new settings with that interval
     */
    public ServerTls reloadInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the TLS reload interval must not be negative, was " + interval);
        }
        return new ServerTls(certificate, privateKey, keystore, password, interval);
    }

    /**
     * The PEM certificate chain.
     *
     * @return the file, or {@code null} for a PKCS#12 keystore
     */
    public Path certificate() {
        return certificate;
    }

    /**
     * The PEM private key.
     *
     * @return the file, or {@code null} for a PKCS#12 keystore
     */
    public Path privateKey() {
        return privateKey;
    }

    /**
     * The PKCS#12 keystore.
     *
     * @return the file, or {@code null} for PEM files
     */
    public Path keystore() {
        return keystore;
    }

    /**
     * The keystore password.
     *
     * @return a copy, or {@code null} for PEM files
     */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /**
     * How often the files are checked for changes.
     *
     * @return the interval; zero means never
     */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** Names the files; never the password. */
    @Override
    public String toString() {
        return keystore != null ? "ServerTls[pkcs12 " + keystore + "]"
                : "ServerTls[pem " + certificate + ", key " + privateKey + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerTls t && Objects.equals(certificate, t.certificate)
                && Objects.equals(privateKey, t.privateKey) && Objects.equals(keystore, t.keystore)
                && Arrays.equals(password, t.password) && reloadInterval.equals(t.reloadInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, privateKey, keystore, reloadInterval);
    }
}
