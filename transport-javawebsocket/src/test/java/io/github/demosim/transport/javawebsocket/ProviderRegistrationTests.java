package io.github.demosim.transport.javawebsocket;

import io.github.demosim.tck.provider.ProviderRegistrationContract;

/** The transport's registration, by the tck contract every provider module runs. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Class<?> provider() {
        return JavaWebSocketTransportProvider.class;
    }

    @Override
    public String name() {
        return "java-websocket";
    }

    @Override
    public String moduleName() {
        return "io.github.demosim.transport.javawebsocket";
    }
}
