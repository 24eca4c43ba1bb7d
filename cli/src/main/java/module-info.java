/** The {@code demos-im} command: server, demo, chat, send, listen, history, keygen. */
module io.github.demosim.cli {
    requires io.github.demosim;
    requires info.picocli;

    opens io.github.demosim.cli to info.picocli;
}
