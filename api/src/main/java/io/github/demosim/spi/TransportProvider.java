package io.github.demosim.spi;

import io.github.demosim.internal.provider.Providers;
import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket client. Implementations are stateless factories found with {@link java.util.ServiceLoader};
 * swapping one transport for another is a change of dependency, never of code.
 */
public interface TransportProvider {

    /**
     * Returns the name users select this provider by, e.g. {@code java-websocket} or {@code tyrus}.
     *
     * @return a short lowercase name
     */
    String name();

    /**
     * Opens a WebSocket connection.
     *
     * <p>The future completes with the open session, or exceptionally with a
     * {@link io.github.demosim.TransportException} ({@code TRANSPORT_CONNECT_FAILED}) if the connection cannot be
     * opened within {@link TransportOptions#connectTimeout()}; in that case the listener is never called.
     * Once open, the listener receives every inbound text frame in order, never on the caller's thread and
     * never concurrently, then exactly one {@link TransportListener#onClosed}. Cancelling the future abandons
     * the attempt (its resources are released by the connect timeout at the latest). Implementations deliver
     * through an {@link InboundDispatcher}, which provides these guarantees.
     *
     * @param options where and how to connect
     * @param listener receives frames and the end of the connection
     * @return the session, when open
     */
    CompletableFuture<TransportSession> connect(TransportOptions options, TransportListener listener);

    /**
     * Finds the transport provider to use: the one the system property {@code demos.im.transport} names, else
     * the single one present.
     *
     * @return the provider
     * @throws io.github.demosim.ProviderNotFoundException if none is present
     * @throws io.github.demosim.AmbiguousProviderException if several are present and none is chosen
     * @throws io.github.demosim.UnknownProviderException if the property names no present provider
     */
    static TransportProvider find() {
        return Providers.select(TransportProvider.class, null);
    }

    /**
     * Finds the transport provider with the given name.
     *
     * @param name the provider's {@link #name()}
     * @return the provider
     * @throws io.github.demosim.UnknownProviderException if no present provider has that name
     */
    static TransportProvider find(String name) {
        return Providers.select(TransportProvider.class, java.util.Objects.requireNonNull(name, "name"));
    }
}
