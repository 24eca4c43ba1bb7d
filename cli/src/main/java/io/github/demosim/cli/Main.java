package io.github.demosim.cli;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the {@code demos-im} command. */
@Command(name = "demos-im", mixinStandardHelpOptions = true, version = "demos-im 0.1.0",
        subcommands = {DemoCommand.class, ServerCommand.class, KeygenCommand.class, SendCommand.class, ListenCommand.class,
                HistoryCommand.class, ChatCommand.class},
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
     *
     * @param factory creates command objects
     * @return the command line
     */
    static CommandLine newCommandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new Main(), factory);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + describe(e));
            if (Logger.getLogger("").getLevel().intValue() <= Level.FINE.intValue()) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
