package io.github.demosim.server.internal.tls;

import io.github.demosim.server.ServerTls;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server side of {@code wss://}: Jetty's TLS context loaded from the configured files, and the watch that
 * loads them again when they change (certificate renewal without a restart). Jetty's
 * {@link SslContextFactory#reload} swaps the context for new connections; open ones keep theirs.
 */
public final class TlsEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TlsEndpoint.class.getName());

    private final ServerTls settings;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final ScheduledExecutorService watch;
    private String fingerprint;

    /**
     * Loads the certificate.
     *
     * @param settings the files
     * @throws IllegalArgumentException naming the file, if it cannot be loaded
     */
    public TlsEndpoint(ServerTls settings) {
        this.settings = settings;
        this.fingerprint = TlsCertificates.fingerprint(settings);
        configure(factory, TlsCertificates.load(settings));
        if (settings.reloadInterval().isZero()) {
            watch = null;
        } else {
            watch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demos-im-tls-reload");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(50, settings.reloadInterval().toMillis());
            watch.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private static void configure(SslContextFactory.Server f, TlsCertificates.Loaded loaded) {
        f.setKeyStore(loaded.store());
        f.setKeyStorePassword(loaded.password());
        f.setKeyManagerPassword(loaded.password());
    }

    /**
     * The TLS context factory for the protocol connectors.
     *
     * @return the factory
     */
    public SslContextFactory.Server factory() {
        return factory;
    }

    private void reloadIfChanged() {
        String now = TlsCertificates.fingerprint(settings);
        if (now.equals(fingerprint)) {
            return;
        }
        try {
            TlsCertificates.Loaded loaded = TlsCertificates.load(settings);
            factory.reload(f -> configure((SslContextFactory.Server) f, loaded));
            fingerprint = now;
            LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from {0}", settings);
        } catch (Exception e) {
            // Half-written files during a renewal: keep serving the old certificate and try at the next check.
            LOG.log(System.Logger.Level.WARNING, "TLS certificate changed but did not load (keeping the old one): {0}",
                    e.getMessage());
        }
    }

    /** Stops watching the files. Idempotent. */
    @Override
    public void close() {
        if (watch != null) {
            watch.shutdownNow();
        }
    }
}
