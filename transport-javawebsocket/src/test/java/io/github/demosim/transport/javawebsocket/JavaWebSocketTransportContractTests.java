package io.github.demosim.transport.javawebsocket;

import io.github.demosim.spi.TransportProvider;
import io.github.demosim.tck.transport.TransportContract;

/** The transport contract, run against the {@code java-websocket} provider. */
class JavaWebSocketTransportContractTests implements TransportContract {

    @Override
    public TransportProvider provider() {
        return new JavaWebSocketTransportProvider();
    }
}
