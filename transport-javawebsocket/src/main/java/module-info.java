/**
 * A WebSocket transport on Java-WebSocket. Exports nothing: users reach it through
 * {@link io.github.demosim.spi.TransportProvider#find()}.
 *
 * <p>Java-WebSocket logs through SLF4J; this module routes SLF4J to {@link System.Logger} (so no SLF4J binding
 * is needed and none warns), unless the application has an SLF4J provider of its own, which then gets the log
 * lines. Java-WebSocket's own lines arrive at DEBUG/TRACE under the logger names {@code org.java_websocket.*}.
 */
module io.github.demosim.transport.javawebsocket {
    requires io.github.demosim;
    requires org.java_websocket;
    requires org.slf4j;

    uses org.slf4j.spi.SLF4JServiceProvider;

    provides io.github.demosim.spi.TransportProvider
            with io.github.demosim.transport.javawebsocket.JavaWebSocketTransportProvider;
    provides org.slf4j.spi.SLF4JServiceProvider
            with io.github.demosim.transport.javawebsocket.SystemLoggerSlf4jProvider;
}
