/** The {@code demos-im} command: server, demo, chat, send, listen, history, keygen. */
module io.github.demosim.cli {
    requires io.github.demosim;
    requires io.github.demosim.server;
    requires info.picocli;
    requires java.logging;

    opens io.github.demosim.cli to info.picocli;

    // --transport is checked against the transports installed
    uses io.github.demosim.spi.TransportProvider;
}
