package io.github.demosim.transport.jdk;

import io.github.demosim.spi.TransportProvider;
import io.github.demosim.tck.transport.TransportContract;

/** The transport contract, run against the {@code jdk} provider. */
class JdkTransportContractTests implements TransportContract {

    @Override
    public TransportProvider provider() {
        return new JdkTransportProvider();
    }

    /** java.net.http refuses to send 1002, 1003, 1007, 1009 and 1010; this transport sends 1008 for them. */
    @Override
    public int codeOnTheWire(int code) {
        return JdkWebSocketSession.wireCode(code);
    }
}
