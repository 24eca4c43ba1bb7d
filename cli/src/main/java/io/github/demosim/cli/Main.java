package io.github.demosim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** Entry point of the {@code demos-im} command. */
@Command(name = "demos-im", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {DemoCommand.class, ServerCommand.class, KeygenCommand.class, SendCommand.class, ListenCommand.class,
                HistoryCommand.class, ChatCommand.class},
        description = "Demos instant messaging: server, demo and clients for the L2PS and legacy protocols.",
        footer = {"", "Run 'demos-im COMMAND --help' for a command's options. Exit status: 0 success, 1 failure, 2 usage error."})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    /** Creates the command; picocli calls this. */
    public Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // One line per record; libraries log through System.Logger, which lands in java.util.logging here.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        setLogLevel(Level.WARNING);
        System.exit(newCommandLine().execute(args));
    }

    /**
     * Turns on detailed logging (connection events, provider choices) on standard error.
     *
     * @param verbose whether to log at DEBUG level
     */
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log connection events and provider choices to standard error.")
    void verbose(boolean verbose) {
        setLogLevel(verbose ? Level.FINE : Level.WARNING);
    }

    /**
     * The transports' libraries: every failure they log also reaches the command as an exception, which it
     * prints once; their own lines would only repeat it (Java-WebSocket logs a refused connect as an error).
     * Held here because java.util.logging keeps loggers only weakly.
     */
    private static final List<Logger> TRANSPORT_LIBRARIES = List.of(Logger.getLogger("org.java_websocket"),
            Logger.getLogger("org.glassfish.tyrus"), Logger.getLogger("org.glassfish.grizzly"));

    private static void setLogLevel(Level level) {
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
        // This is the application, so it may choose: the libraries' lines only with --verbose.
        for (Logger library : TRANSPORT_LIBRARIES) {
            library.setLevel(level.intValue() <= Level.FINE.intValue() ? null : Level.OFF);
        }
    }

    private static boolean verbose() {
        Level level = Logger.getLogger("").getLevel();
        return level != null && level.intValue() <= Level.FINE.intValue();
    }

    /**
     * Creates the configured command line: failures print one line (the stack trace only with --verbose).
     *
     * @return the command line
     */
    static CommandLine newCommandLine() {
        return newCommandLine(CommandLine.defaultFactory());
    }

    /**
     * Creates the configured command line with a factory for the commands (tests supply their own input).
     * A usage error prints one line naming what is wrong and where the help is, and exits 2; a failure prints
     * one line in the command's terms (its flags, not the SDK's builder methods) and exits 1.
     *
     * @param factory creates command objects
     * @return the command line
     */
    static CommandLine newCommandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new Main(), factory);
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandName() + ": " + e.getMessage() + " (see '" + qualifiedName(cmd) + " --help')");
            if (verbose()) {
                e.printStackTrace(err);
            }
            err.flush();
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + CliErrors.describe(e));
            if (verbose()) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : qualifiedName(cmd.getParent()) + " " + cmd.getCommandName();
    }

    /** No command given: a usage error, said in one line. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no command given; commands: demo, server, keygen, send, listen, history, chat");
    }

    /** The version of the artifacts, as Maven built them (e.g. {@code 0.1.0-SNAPSHOT}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"demos-im " + version(), "Java " + System.getProperty("java.version") + " ("
                    + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "(unknown version: " + e.getMessage() + ")";
            }
            return p.getProperty("version", "(unknown version)");
        }
    }
}
