package io.github.demosim.transport.tyrus.grizzly;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer;
import org.glassfish.tyrus.spi.ClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus's Grizzly client container, plus a way to abandon a connect at any point. Grizzly waits up to a fixed
 * 30 s for the TCP connect and the TLS handshake; the {@link ClientEngine.TimeoutHandler} this container
 * captures shuts the attempt's Grizzly transport down at once, so a connect that overran its deadline releases
 * its threads and socket right away. The handler is published through the {@link AtomicReference} found under
 * {@link #TIMEOUT_HANDLER} in the client's properties.
 *
 * <p>Public, and exported to Tyrus only, because Tyrus instantiates its container reflectively by class name.
 */
public final class AbortableGrizzlyContainer implements ClientContainer {
    /** Client property: an {@code AtomicReference<ClientEngine.TimeoutHandler>} to publish the handler in. */
    public static final String TIMEOUT_HANDLER = "io.github.demosim.transport.tyrus.timeoutHandler";

    private final GrizzlyClientContainer delegate = new GrizzlyClientContainer();

    /** Called reflectively by Tyrus's {@code ClientManager}. */
    public AbortableGrizzlyContainer() {
    }

    @Override
    public void openClientSocket(ClientEndpointConfig config, Map<String, Object> properties, ClientEngine engine)
            throws DeploymentException, IOException {
        @SuppressWarnings("unchecked")
        AtomicReference<ClientEngine.TimeoutHandler> published =
                (AtomicReference<ClientEngine.TimeoutHandler>) properties.get(TIMEOUT_HANDLER);
        delegate.openClientSocket(config, properties, published == null ? engine : new ClientEngine() {
            @Override
            public UpgradeRequest createUpgradeRequest(TimeoutHandler timeoutHandler) {
                published.set(timeoutHandler);
                return engine.createUpgradeRequest(timeoutHandler);
            }

            @Override
            public ClientUpgradeInfo processResponse(UpgradeResponse response, Writer writer,
                    org.glassfish.tyrus.spi.Connection.CloseListener closeListener) {
                return engine.processResponse(response, writer, closeListener);
            }

            @Override
            public void processError(Throwable t) {
                engine.processError(t);
            }
        });
    }
}
