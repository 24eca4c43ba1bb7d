package io.github.demosim.server.internal.admin;

import io.github.demosim.server.internal.store.JdbcPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the database whether it answers, on a connection of its own (not one of the store's pool), so that a probe
 * never waits behind message traffic and a broken pool connection cannot hide an answering database or the other
 * way round. Each check runs a cheap query on one daemon thread with a deadline; a check that has not come back
 * makes the following ones answer "not answering" at once instead of piling up. Answers are kept for a second, so
 * probes and scrapes from several sides cost one query. Thread-safe.
 */
final class DatabaseProbe implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();
    /** The unfinished pipeline statuses, read through the l2ps_messages_pipeline index. */
    private static final String BACKLOG = "SELECT pipeline, COUNT(*) FROM l2ps_messages"
            + " WHERE pipeline IN ('l2ps_pending', 'l2ps_batched') GROUP BY pipeline";

    /**
     * One check.
     *
     * @param problem {@code null} when the database answered, else why not (no credentials in it)
     * @param backlog L2PS messages per unfinished pipeline status; empty when the database did not answer
     */
    record Answer(String problem, Map<String, Long> backlog) {
        boolean answering() {
            return problem == null;
        }
    }

    private final String url;
    private final Properties credentials = new Properties();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demos-im-admin-db");
        t.setDaemon(true);
        return t;
    });
    private Connection connection; // only touched on the runner thread
    private Future<Answer> inFlight; // guarded by this
    private Answer last; // guarded by this
    private long lastAt; // guarded by this
    private boolean closed; // guarded by this

    DatabaseProbe(String url, String user, String password) {
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    /**
     * Checks now, or returns the answer of the last second.
     *
     * @return the answer
     */
    synchronized Answer check() {
        if (closed) {
            return new Answer("the server is stopping", Map.of());
        }
        long now = System.nanoTime();
        if (last != null && now - lastAt < CACHE_NANOS) {
            return last;
        }
        if (inFlight != null && !inFlight.isDone()) {
            return new Answer("the previous query has not come back", Map.of());
        }
        inFlight = runner.submit(this::query);
        Answer answer;
        try {
            answer = inFlight.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer = new Answer("no answer within " + TIMEOUT.toSeconds() + " s", Map.of());
        } catch (ExecutionException e) {
            answer = new Answer(String.valueOf(e.getCause()), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Answer("interrupted", Map.of());
        }
        last = answer;
        lastAt = System.nanoTime();
        return answer;
    }

    private Answer query() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, credentials);
            }
            Map<String, Long> backlog = new LinkedHashMap<>();
            backlog.put("l2ps_pending", 0L);
            backlog.put("l2ps_batched", 0L);
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout((int) TIMEOUT.toSeconds());
                try (ResultSet rs = s.executeQuery(BACKLOG)) {
                    while (rs.next()) {
                        backlog.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return new Answer(null, backlog);
        } catch (SQLException e) {
            discardConnection();
            // The driver's message names the host and the cause; JDBC drivers do not put passwords in them.
            return new Answer("the database did not answer: " + e.getMessage(), Map.of());
        }
    }

    private void discardConnection() {
        JdbcPool.closeQuietly(connection);
        connection = null;
    }

    /** Closes the connection (waiting up to the timeout for a running check). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        runner.execute(this::discardConnection);
        runner.shutdown();
        try {
            if (!runner.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            runner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
