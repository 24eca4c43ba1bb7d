/**
 * A WebSocket transport on Java-WebSocket. Exports nothing: users reach it through
 * {@link io.github.demosim.spi.TransportProvider#find()}.
 *
 * <p>Java-WebSocket logs through SLF4J, and this module ships no SLF4J binding: the application chooses one
 * (Logback, slf4j-simple, {@code slf4j-jdk14} to join {@code java.util.logging}, {@code slf4j-nop} for
 * silence). Without any, SLF4J prints a three-line notice once and logs nothing. Java-WebSocket's lines come
 * under the logger names {@code org.java_websocket.*}; every failure it logs also reaches the caller as a
 * {@link io.github.demosim.TransportException} with its cause, so those loggers can be set to OFF without
 * losing anything.
 */
module io.github.demosim.transport.javawebsocket {
    requires io.github.demosim;
    requires org.java_websocket;

    provides io.github.demosim.spi.TransportProvider
            with io.github.demosim.transport.javawebsocket.JavaWebSocketTransportProvider;
}
