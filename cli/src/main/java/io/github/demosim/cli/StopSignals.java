package io.github.demosim.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so that the command stops the server itself and exits with
 * status 0, as service managers expect of a clean stop. (Left to the JVM, either signal runs the shutdown hooks
 * and exits with 143 or 130, and a hook cannot change that.) The handlers are installed through
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, the JDK's interface for this), called reflectively
 * because javac's warning about it cannot be silenced under {@code -Werror}. Where it is unavailable, the
 * shutdown hook still stops the server gracefully, only with the signal's exit status.
 */
final class StopSignals {
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String received = "";

    /** Installs the handlers; from now on SIGTERM and SIGINT only count down {@link #await}. */
    StopSignals() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Method getName = signal.getMethod("getName");
            Object onSignal = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            received = "SIG" + getName.invoke(args[0]);
                            requested.countDown();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "StopSignals";
                    });
            Method handle = signal.getMethod("handle", signal, handler);
            for (String name : new String[] {"TERM", "INT"}) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), onSignal);
            }
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            // Not on this JDK or platform (or -Xrs, which makes handle() throw an InvocationTargetException):
            // the JVM's default handling and the shutdown hook remain.
            if (e instanceof InvocationTargetException) {
                System.getLogger(StopSignals.class.getName()).log(System.Logger.Level.DEBUG,
                        "signal handlers not installed", e);
            }
        }
    }

    /**
     * Asks for a stop from inside the process, e.g. when the server stopped itself; {@link #await} returns
     * {@code reason} unless a signal came first.
     *
     * @param reason what {@link #await} returns
     */
    void stop(String reason) {
        if (requested.getCount() > 0) {
            received = reason; // a signal at the same moment may win; either reason is true
        }
        requested.countDown();
    }

    /**
     * Waits for a signal.
     *
     * @return the signal's name, e.g. {@code SIGTERM}
     * @throws InterruptedException if interrupted
     */
    String await() throws InterruptedException {
        requested.await();
        return received;
    }
}
