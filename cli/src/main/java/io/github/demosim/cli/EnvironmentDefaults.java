package io.github.demosim.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads a command's option defaults from the environment: {@code --admin-port} from {@code DEMOS_IM_ADMIN_PORT},
 * {@code --db-password} from {@code DEMOS_IM_DB_PASSWORD}, and so on ({@link #variable}). A flag on the command
 * line wins, since picocli asks for defaults only for options that were not given. An unset or empty variable
 * leaves the built-in default. docs/operations.md lists every variable.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    /** The prefix of every variable. */
    static final String PREFIX = "DEMOS_IM_";

    private final Map<String, String> environment;

    /** Reads the process environment; picocli calls this. */
    EnvironmentDefaults() {
        this(System.getenv());
    }

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The variable of an option: {@code DEMOS_IM_} and its longest name in capitals, dashes as underscores.
     *
     * @param option the option
     * @return the variable name
     */
    static String variable(OptionSpec option) {
        return PREFIX + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = environment.get(variable(option));
        return value == null || value.isEmpty() ? null : value;
    }
}
