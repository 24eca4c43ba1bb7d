/** The Java-WebSocket transport provider. */
module io.github.demosim.transport.javawebsocket {
    requires io.github.demosim;
}
