package io.github.demosim.server.internal.admin;

import io.github.demosim.server.internal.metrics.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The admin port: plain HTTP for the operator's tools, never for clients.
 * <ul>
 *   <li>{@code GET /metrics}: every metric in the Prometheus text format;</li>
 *   <li>{@code GET /health/live}: 200 while the process serves HTTP at all (restart it when this fails);</li>
 *   <li>{@code GET /health/ready}: 200 when every protocol port is bound, the server is not stopping and the
 *       database answers a query within 2 s; else 503 with the reasons, one a line (send no clients).</li>
 * </ul>
 * A Jetty server of its own with a small thread pool, so that a flood on the protocol ports cannot starve the
 * probes that would report it, and the other way round.
 */
public final class AdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    /** The Prometheus modules; without them there are no metrics to serve. */
    private static final String PROMETHEUS_CLASS = "io.prometheus.metrics.core.metrics.Counter";

    /**
     * What the admin port reads from the running server.
     *
     * @param protocols the served protocols
     * @param connections open connections of a protocol
     * @param registeredPeers registered peers of a protocol
     * @param portsBound whether every protocol port is bound
     * @param databaseFileBytes the embedded H2 file's size, -1 where there is none ({@code MessageStore#fileBytes})
     */
    public record Sources(List<String> protocols, ToIntFunction<String> connections,
            ToIntFunction<String> registeredPeers, BooleanSupplier portsBound, LongSupplier databaseFileBytes) {
    }

    private final PrometheusMetrics metrics;
    private final DatabaseProbe database;
    private final Server jetty;
    private final ServerConnector connector;
    private volatile Sources sources;
    private volatile boolean stopping;

    private AdminServer(String host, int port, DatabaseProbe database) {
        this.metrics = new PrometheusMetrics();
        this.database = database;
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("demos-im-admin");
        threads.setDaemon(true);
        jetty = new Server(threads);
        jetty.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setName("admin");
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
    }

    /**
     * Creates the admin port (not yet listening) and its metrics.
     *
     * @param host the address to bind
     * @param port the port, 0 for an ephemeral one
     * @param databaseUrl the server's database
     * @param user its user or {@code null}
     * @param password its password or {@code null}
     * @return the admin port
     * @throws IllegalStateException if the Prometheus client is not installed
     */
    public static AdminServer create(String host, int port, String databaseUrl, String user, String password) {
        try {
            Class.forName(PROMETHEUS_CLASS, false, AdminServer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the admin port needs the Prometheus Java client: add"
                    + " io.prometheus:prometheus-metrics-core, prometheus-metrics-exposition-textformats and"
                    + " prometheus-metrics-instrumentation-jvm (on the module path also --add-modules"
                    + " io.prometheus.metrics.core,io.prometheus.writer.text,io.prometheus.metrics.instrumentation.jvm)");
        }
        return new AdminServer(host, port, new DatabaseProbe(databaseUrl, user, password));
    }

    /**
     * The metrics the server reports into.
     *
     * @return the metrics
     */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Binds the port and starts answering.
     *
     * @param from what to read from the server
     * @throws Exception if the port cannot be bound
     */
    public void start(Sources from) throws Exception {
        this.sources = from;
        metrics.bind(from.protocols(), from.connections(), from.registeredPeers(), () -> database.check().backlog(),
                () -> readinessProblems().isEmpty(), from.databaseFileBytes());
        jetty.start();
    }

    /**
     * The bound port.
     *
     * @return the port, or -1 before {@link #start}
     */
    public int port() {
        return connector.getLocalPort();
    }

    /** Reports not ready from now on and lets go of the database (the server closes its store next). */
    public void stopping() {
        stopping = true;
        database.close();
    }

    private String readinessProblems() {
        StringBuilder problems = new StringBuilder();
        Sources s = sources;
        if (stopping || s == null) {
            problems.append("stopping: the server is shutting down\n");
            return problems.toString();
        }
        if (!s.portsBound().getAsBoolean()) {
            problems.append("ports: a protocol port is not bound\n");
        }
        DatabaseProbe.Answer db = database.check();
        if (!db.answering()) {
            problems.append("database: ").append(db.problem()).append('\n');
        }
        return problems.toString();
    }

    private void serve(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain;charset=utf-8",
                    "only GET and HEAD\n");
            return;
        }
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                try {
                    metrics.write(out);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not write the metrics", e);
                    reply(response, callback, 500, "text/plain;charset=utf-8", "could not write the metrics\n");
                    return;
                }
                reply(response, callback, 200, metrics.contentType(), out.toByteArray());
            }
            case "/health/live" -> reply(response, callback, 200, "text/plain;charset=utf-8", "live\n");
            case "/health/ready" -> {
                String problems = readinessProblems();
                reply(response, callback, problems.isEmpty() ? 200 : 503, "text/plain;charset=utf-8",
                        problems.isEmpty() ? "ready\n" : problems);
            }
            default -> reply(response, callback, 404, "text/plain;charset=utf-8",
                    "not found; try /metrics, /health/live, /health/ready\n");
        }
    }

    private static void reply(Response response, Callback callback, int status, String type, String body) {
        reply(response, callback, status, type, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void reply(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Stops answering and closes the database connection. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        database.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the admin port did not stop cleanly", e);
        }
    }
}
