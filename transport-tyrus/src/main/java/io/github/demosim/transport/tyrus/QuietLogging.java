package io.github.demosim.transport.tyrus;

import java.util.List;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps Tyrus and Grizzly from printing to stderr: their failures reach the caller as
 * {@code TransportException}s with the cause, so their own log lines would only repeat them (and some, like
 * Grizzly's connection warnings, appear during ordinary closes). A level configured for either logger in the
 * {@code java.util.logging} configuration, or set before the first connect, is left alone.
 */
final class QuietLogging {
    private static final List<String> NAMES = List.of("org.glassfish.tyrus", "org.glassfish.grizzly");
    /** Held so the levels set stay set: {@code java.util.logging} keeps loggers only weakly. */
    private static final List<Logger> SILENCED = NAMES.stream().map(Logger::getLogger).toList();

    private QuietLogging() {
    }

    static void apply() {
        Holder.touch();
    }

    /** Applies the levels once, on first use. */
    private static final class Holder {
        static {
            LogManager manager = LogManager.getLogManager();
            for (Logger logger : SILENCED) {
                boolean configured = manager.getProperty(logger.getName() + ".level") != null
                        || logger.getLevel() != null;
                if (!configured) {
                    logger.setLevel(java.util.logging.Level.OFF);
                }
            }
        }

        private Holder() {
        }

        static void touch() {
        }
    }
}
