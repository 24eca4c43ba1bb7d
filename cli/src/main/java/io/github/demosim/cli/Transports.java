package io.github.demosim.cli;

import io.github.demosim.spi.TransportProvider;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks a transport name given on the command line against the transports installed. */
final class Transports {
    private Transports() {
    }

    /** The names of the installed transport providers, e.g. {@code [java-websocket, tyrus]}. */
    static List<String> installed() {
        return ServiceLoader.load(TransportProvider.class).stream().map(p -> p.get().name()).sorted().toList();
    }

    /** {@code name} if a transport of that name is installed, else a usage error naming the flag. */
    static String require(CommandSpec spec, String flag, String name) {
        List<String> installed = installed();
        if (!installed.contains(name)) {
            throw new ParameterException(spec.commandLine(), flag + " must be one of " + String.join(", ", installed)
                    + ", not '" + name + "'");
        }
        return name;
    }
}
