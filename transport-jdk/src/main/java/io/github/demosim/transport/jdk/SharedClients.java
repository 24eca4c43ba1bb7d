package io.github.demosim.transport.jdk;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
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
 * leave a thread behind each closed connection until the next GC. So connections share clients, one group per
 * TLS context: the JDK's default one (also for {@code ws://}), kept for the life of the JVM, and each
 * {@link SSLContext} a user passes, kept while a connection uses it and then shut down (JDK 21+) or left to the
 * garbage collector.
 *
 * <p>A client's selector thread reads and decodes every frame of its connections, so one client for all of them
 * would make one thread the limit of a process with many busy connections. A group starts with one client and adds
 * one (up to one per processor) whenever every client it has serves {@value #CONNECTIONS_PER_CLIENT} connections
 * or more; a connection goes to the client serving the fewest.
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
    /** How many connections a client serves before its group adds another. */
    static final int CONNECTIONS_PER_CLIENT = 8;
    private static final int MAX_CLIENTS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final Object LOCK = new Object();
    /** By TLS context; the key {@code null} for the JDK default. Guarded by {@link #LOCK}. */
    private static final Map<SSLContext, Group> GROUPS = new IdentityHashMap<>();

    private SharedClients() {
    }

    /** A connection's use of a client; {@link #release} once the connection is over. */
    static final class Lease {
        private final Member member;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Member member) {
            this.member = member;
        }

        HttpClient client() {
            return member.client;
        }

        /** Ends this use; the last use of a client for a user's SSLContext shuts it down. Idempotent. */
        void release() {
            if (released.compareAndSet(false, true)) {
                member.group.release(member);
            }
        }

        /**
         * Drops the client when it no longer works (its selector thread ended, e.g. after an error), so that the
         * next connection gets a new one.
         */
        void discardBrokenClient() {
            synchronized (LOCK) {
                member.group.members.remove(member);
            }
        }
    }

    /** One client and how many connections use it. Guarded by {@link #LOCK}. */
    private static final class Member {
        final Group group;
        final HttpClient client;
        int connections;

        Member(Group group, HttpClient client) {
            this.group = group;
            this.client = client;
        }
    }

    /** The clients of one TLS context. Guarded by {@link #LOCK}. */
    private static final class Group {
        final SSLContext context;
        final List<Member> members = new ArrayList<>();

        Group(SSLContext context) {
            this.context = context;
        }

        Member take() {
            Member least = null;
            for (Member m : members) {
                if (least == null || m.connections < least.connections) {
                    least = m;
                }
            }
            if (least == null || least.connections >= CONNECTIONS_PER_CLIENT && members.size() < MAX_CLIENTS) {
                least = new Member(this, newClient(context));
                members.add(least);
            }
            least.connections++;
            return least;
        }

        void release(Member member) {
            boolean unused;
            synchronized (LOCK) {
                member.connections--;
                // The default context's clients stay (at most one thread per processor); a user's go with their use.
                unused = context != null && member.connections == 0 && members.remove(member);
                if (members.isEmpty() && GROUPS.get(context) == this) {
                    GROUPS.remove(context);
                }
            }
            if (unused) {
                shutdown(member.client);
            }
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
            return new Lease(GROUPS.computeIfAbsent(context, Group::new).take());
        }
    }

    /** How many clients serve each group, for tests: the default context's under {@code "default"}. */
    static Map<String, Integer> clientsPerGroup() {
        synchronized (LOCK) {
            Map<String, Integer> counts = new HashMap<>();
            GROUPS.forEach((context, group) -> counts.put(context == null ? "default" : context.toString(),
                    group.members.size()));
            return counts;
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
