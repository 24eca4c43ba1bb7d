/**
 * A WebSocket transport on Tyrus (Jakarta WebSocket) with its Grizzly client container. Exports nothing to users,
 * who reach it through {@link io.github.demosim.spi.TransportProvider#find()}; one package is exported to Tyrus
 * alone, which instantiates the client container reflectively.
 *
 * <p>Tyrus and Grizzly log through {@code java.util.logging} (loggers {@code org.glassfish.tyrus} and
 * {@code org.glassfish.grizzly}); this transport leaves their levels to the application. Every failure they log
 * also reaches the caller as a {@link io.github.demosim.TransportException} with its cause, so an application
 * that wants them quiet can set both to {@code OFF} (for example {@code org.glassfish.tyrus.level=OFF} in the
 * file named by {@code -Djava.util.logging.config.file}) without losing anything.
 */
module io.github.demosim.transport.tyrus {
    requires io.github.demosim;
    requires jakarta.websocket.client;
    requires org.glassfish.tyrus.client;
    requires org.glassfish.tyrus.core; // HandshakeException: the HTTP status of a refused upgrade
    requires org.glassfish.tyrus.container.grizzly.client;
    requires org.glassfish.tyrus.spi;

    // Tyrus instantiates its client container by class name; nothing else may see this package.
    exports io.github.demosim.transport.tyrus.grizzly to org.glassfish.tyrus.core;

    provides io.github.demosim.spi.TransportProvider with io.github.demosim.transport.tyrus.TyrusTransportProvider;
}
