package io.github.demosim.cli;

import io.github.demosim.server.ServerMode;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parses {@code --mode}. */
final class Modes {
    private Modes() {
    }

    static ServerMode parse(CommandSpec spec, String mode) {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "hardened":
                return ServerMode.HARDENED;
            case "reference":
                return ServerMode.REFERENCE;
            default:
                throw new ParameterException(spec.commandLine(), "--mode must be hardened or reference, not '" + mode + "'");
        }
    }
}
