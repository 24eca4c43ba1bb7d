package io.github.demosim.transport.jdk;

import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link TransportProvider} named {@code jdk}: a WebSocket client on {@link java.net.http.WebSocket}.
 * Stateless; connections share one {@link java.net.http.HttpClient} per TLS context (one selector thread in all),
 * and each has the listener thread of its dispatcher, which ends when it closes.
 */
public final class JdkTransportProvider implements TransportProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. Does no work. */
    public JdkTransportProvider() {
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public CompletableFuture<TransportSession> connect(TransportOptions options, TransportListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return JdkWebSocketSession.open(options, listener);
    }

    @Override
    public String toString() {
        return "JdkTransportProvider[jdk]";
    }
}
