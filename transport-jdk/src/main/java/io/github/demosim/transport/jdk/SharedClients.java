package io.github.demosim.transport.jdk;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The {@link HttpClient}s connections share. An {@code HttpClient} owns a selector thread that, on JDK 17, ends
 * only once the client is garbage collected ({@code close()} arrived in JDK 21): one client per connection would
 * leave a thread behind each closed connection until the next GC. So connections share one client for the JDK's
 * default TLS context, kept for the life of the JVM (one daemon thread), and one per {@link SSLContext} a user
 * passes, kept while a connection uses it and then shut down (JDK 21+) or left to the garbage collector.
 *
 * <p>The clients run their tasks on the thread that triggers them ({@link #DIRECT}): what the JDK would hand to
 * an executor from its selector thread is the transport's own listener work (hand a frame to the dispatcher, ask
 * for the next), which never blocks, so a second thread hop per received frame would only add latency. It also
 * lets the JDK send its close frame before it drops a connection that broke the protocol (with an executor it
 * drops the TCP connection first). Work that may run user code, completing a connect, goes to {@link #HANDOFF}:
 * a few daemon threads that end after an idle second, so a JVM that stops connecting keeps none of them.
 * The client's connect timeout is not set here: each connection sets its own on the WebSocket builder, which
 * bounds TCP, TLS and the upgrade together.
 */
final class SharedClients {
    /** Runs the HttpClient's tasks in place, on its selector thread or the caller's. */
    private static final Executor DIRECT = Runnable::run;
    /** Completes futures that user code waits on, off the shared selector thread. */
    static final Executor HANDOFF = handoff();
    private static final Object LOCK = new Object();
    private static HttpClient defaultTls;
    private static final Map<SSLContext, Shared> CUSTOM_TLS = new IdentityHashMap<>();

    private SharedClients() {
    }

    /** A connection's use of a client; {@link #release} once the connection is over. */
    static final class Lease {
        private final HttpClient client;
        private final Shared shared;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(HttpClient client, Shared shared) {
            this.client = client;
            this.shared = shared;
        }

        HttpClient client() {
            return client;
        }

        /** Ends this use; the last use of a client for a user's SSLContext shuts it down. Idempotent. */
        void release() {
            if (shared != null && released.compareAndSet(false, true)) {
                shared.release();
            }
        }

        /**
         * Drops the client when it no longer works (its selector thread ended, e.g. after an error), so that the
         * next connection gets a new one.
         */
        void discardBrokenClient() {
            synchronized (LOCK) {
                if (shared == null && defaultTls == client) {
                    defaultTls = null;
                } else if (shared != null && CUSTOM_TLS.get(shared.context) == shared) {
                    CUSTOM_TLS.remove(shared.context);
                }
            }
        }
    }

    /** A client for one user SSLContext and how many connections use it. Guarded by {@link #LOCK}. */
    private static final class Shared {
        final SSLContext context;
        final HttpClient client;
        int users;

        Shared(SSLContext context) {
            this.context = context;
            this.client = newClient(context);
        }

        void release() {
            synchronized (LOCK) {
                if (--users > 0) {
                    return;
                }
                if (CUSTOM_TLS.get(context) == this) {
                    CUSTOM_TLS.remove(context);
                }
            }
            shutdown(client);
        }
    }

    /**
     * Takes a client for a connection.
     *
     * @param context the user's TLS context, or {@code null} for the JDK default (also for {@code ws://})
     * @return the lease
     */
    static Lease acquire(SSLContext context) {
        synchronized (LOCK) {
            if (context == null) {
                if (defaultTls == null) {
                    defaultTls = newClient(null);
                }
                return new Lease(defaultTls, null);
            }
            Shared shared = CUSTOM_TLS.computeIfAbsent(context, Shared::new);
            shared.users++;
            return new Lease(shared.client, shared);
        }
    }

    private static HttpClient newClient(SSLContext context) {
        HttpClient.Builder builder = HttpClient.newBuilder().executor(DIRECT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (context != null) {
            builder.sslContext(context);
        }
        return builder.build();
    }

    /** {@code HttpClient.shutdown()} where it exists (JDK 21+); on JDK 17 the garbage collector ends the client. */
    private static void shutdown(HttpClient client) {
        try {
            Method shutdown = HttpClient.class.getMethod("shutdown");
            shutdown.invoke(client);
        } catch (NoSuchMethodException e) {
            // JDK 17-20: no lifecycle methods; unreachable clients end their selector thread after a GC
        } catch (ReflectiveOperationException | RuntimeException e) {
            // shutting down is a courtesy: the client is unreachable from here on either way
        }
    }

    private static Executor handoff() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "demos-im-jdk-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
