package io.github.demosim.transport.javawebsocket;

import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link TransportProvider} named {@code java-websocket}: a WebSocket client on Java-WebSocket. Stateless;
 * each connection has its own reader and writer threads, which end when it closes.
 */
public final class JavaWebSocketTransportProvider implements TransportProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. Does no work. */
    public JavaWebSocketTransportProvider() {
    }

    @Override
    public String name() {
        return "java-websocket";
    }

    @Override
    public CompletableFuture<TransportSession> connect(TransportOptions options, TransportListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return JavaWebSocketSession.open(options, listener);
    }

    @Override
    public String toString() {
        return "JavaWebSocketTransportProvider[java-websocket]";
    }
}
