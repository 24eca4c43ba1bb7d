package io.github.demosim.transport.tyrus;

import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link TransportProvider} named {@code tyrus}: a WebSocket client on Tyrus with its Grizzly container,
 * used directly (not found through {@code jakarta.websocket.ContainerProvider}). Stateless; each connection has
 * its own Tyrus client and Grizzly transport, whose threads end when it closes.
 */
public final class TyrusTransportProvider implements TransportProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. Does no work. */
    public TyrusTransportProvider() {
    }

    @Override
    public String name() {
        return "tyrus";
    }

    @Override
    public CompletableFuture<TransportSession> connect(TransportOptions options, TransportListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return TyrusTransportSession.open(options, listener);
    }

    @Override
    public String toString() {
        return "TyrusTransportProvider[tyrus]";
    }
}
