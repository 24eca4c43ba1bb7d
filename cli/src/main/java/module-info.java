/** The {@code demos-im} command: server, demo, chat, send, listen, history, keygen. */
module io.github.demosim.cli {
    requires io.github.demosim;
    requires io.github.demosim.server;
    requires info.picocli;
    // The server's admin port (metrics) needs the Prometheus client, which the server only `requires static`: the
    // command ships it. Automatic modules; the jlink image gives them descriptors (src/build/build-image.sh).
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.instrumentation.jvm;
    requires io.prometheus.writer.text;
    requires java.logging;
    // sun.misc.Signal: SIGTERM and SIGINT stop the server with exit status 0 (StopSignals)
    requires jdk.unsupported;

    opens io.github.demosim.cli to info.picocli;

    // --transport is checked against the transports installed
    uses io.github.demosim.spi.TransportProvider;
}
