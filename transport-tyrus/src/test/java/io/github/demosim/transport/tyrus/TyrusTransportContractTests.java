package io.github.demosim.transport.tyrus;

import io.github.demosim.spi.TransportProvider;
import io.github.demosim.tck.transport.TransportContract;

/** The transport contract, run against the {@code tyrus} provider. */
class TyrusTransportContractTests implements TransportContract {

    @Override
    public TransportProvider provider() {
        return new TyrusTransportProvider();
    }
}
