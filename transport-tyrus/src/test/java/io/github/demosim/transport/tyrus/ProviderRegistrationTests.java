package io.github.demosim.transport.tyrus;

import io.github.demosim.tck.provider.ProviderRegistrationContract;

/** The transport's registration, by the tck contract every provider module runs. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(TyrusTransportProvider.class, "tyrus", "io.github.demosim.transport.tyrus");
    }
}
