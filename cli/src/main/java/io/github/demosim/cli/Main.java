package io.github.demosim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code demos-im} command. */
@Command(name = "demos-im", mixinStandardHelpOptions = true, version = "demos-im 0.1.0",
        subcommands = {KeygenCommand.class},
        description = "Demos instant messaging: server, demo and clients for the L2PS and legacy protocols.")
public final class Main implements Runnable {

    /** Creates the command; picocli calls this. */
    public Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
