package io.github.demosim.transport.tyrus;

import io.github.demosim.tck.provider.ProviderRegistrationContract;

/** The transport's registration, by the tck contract every provider module runs. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Class<?> provider() {
        return TyrusTransportProvider.class;
    }

    @Override
    public String name() {
        return "tyrus";
    }

    @Override
    public String moduleName() {
        return "io.github.demosim.transport.tyrus";
    }
}
