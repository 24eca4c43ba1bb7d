package io.github.demosim.transport.javawebsocket;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger writing to the {@link System.Logger} of the same name.
 *
 * <p>Java-WebSocket's own loggers ({@code org.java_websocket.*}) are shifted down: ERROR, WARN and INFO become
 * DEBUG, DEBUG becomes TRACE. Every failure it logs also reaches the transport, which reports it to the
 * caller as a {@link io.github.demosim.TransportException} with the cause, so the library's lines are
 * diagnostics, not news; enable DEBUG for {@code org.java_websocket} to see them. Other loggers keep their
 * levels.
 */
final class SystemLoggerAdapter extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient System.Logger target;
    private final boolean demoted;

    SystemLoggerAdapter(String name) {
        this.name = name;
        this.target = System.getLogger(name);
        this.demoted = name.startsWith("org.java_websocket");
    }

    private System.Logger.Level map(Level level) {
        switch (level) {
            case ERROR:
                return demoted ? System.Logger.Level.DEBUG : System.Logger.Level.ERROR;
            case WARN:
                return demoted ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
            case INFO:
                return demoted ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            case DEBUG:
                return demoted ? System.Logger.Level.TRACE : System.Logger.Level.DEBUG;
            default:
                return System.Logger.Level.TRACE;
        }
    }

    private boolean enabled(Level level) {
        return target.isLoggable(map(level));
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        System.Logger.Level mapped = map(level);
        if (!target.isLoggable(mapped)) {
            return;
        }
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        if (throwable != null) {
            target.log(mapped, message, throwable);
        } else {
            target.log(mapped, message);
        }
    }
}
