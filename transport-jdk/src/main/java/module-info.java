/**
 * A WebSocket transport on the JDK's own client, {@link java.net.http.WebSocket}: nothing outside the JDK, so the
 * smallest runtime images and no third-party logging. Exports nothing: users reach it through
 * {@link io.github.demosim.spi.TransportProvider#find()} (name {@code jdk}).
 */
module io.github.demosim.transport.jdk {
    requires io.github.demosim;
    requires java.net.http;

    provides io.github.demosim.spi.TransportProvider with io.github.demosim.transport.jdk.JdkTransportProvider;
}
