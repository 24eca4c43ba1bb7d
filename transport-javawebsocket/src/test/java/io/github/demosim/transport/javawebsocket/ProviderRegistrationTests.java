package io.github.demosim.transport.javawebsocket;

import io.github.demosim.tck.provider.ProviderRegistrationContract;

/** The transport's registration, by the tck contract every provider module runs. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(JavaWebSocketTransportProvider.class, "java-websocket", "io.github.demosim.transport.javawebsocket");
    }
}
