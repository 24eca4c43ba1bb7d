package io.github.demosim.bench;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps INFO lines of Jetty and the server out of the benchmark output, where they would bury the results. */
final class Quiet {
    /** Strong references: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> LOGGERS = List.of(Logger.getLogger("org.eclipse.jetty"),
            Logger.getLogger("io.github.demosim"));

    private Quiet() {
    }

    /** Raises the level of the noisy loggers to WARNING. */
    static void logs() {
        LOGGERS.forEach(l -> l.setLevel(Level.WARNING));
    }
}
