package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of JDBC connections. Small on purpose: H2 serialises writes anyway, and PostgreSQL needs
 * only a handful of connections for one server process. A connection that failed is replaced on its next use.
 * A failure that means the database itself is gone ({@link #fatal}) is reported to a listener, which may
 * {@linkplain #reopen() reopen} every connection at once: H2 keeps a database that closed itself (after an
 * error inside it) for as long as any connection to it is open, so replacing connections one by one never
 * reaches a fresh one.
 */
public final class JdbcPool implements AutoCloseable {
    private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String reopenUrl;
    private final String user;
    private final String password;
    private final int size;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private volatile boolean closed;
    private volatile java.util.function.Consumer<SQLException> fatalListener = e -> { };

    JdbcPool(String url, String user, String password, int size) throws SQLException {
        this.url = url;
        this.reopenUrl = DatabaseUrls.forReopen(url);
        this.user = user;
        this.password = password;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection c = open();
                all.add(c);
                idle.add(c);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private Connection open() throws SQLException {
        return open(url);
    }

    private Connection open(String jdbcUrl) throws SQLException {
        Connection c = user == null ? DriverManager.getConnection(jdbcUrl)
                : DriverManager.getConnection(jdbcUrl, user, password);
        c.setAutoCommit(true);
        return c;
    }

    /** A unit of work on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs work on a pooled connection in auto-commit mode.
     *
     * @param work the work
     * @param <T> its result
     * @return the result
     * @throws SQLException from the work
     */
    <T> T withConnection(Work<T> work) throws SQLException {
        Connection c = borrow();
        boolean healthy = true;
        try {
            return work.run(c);
        } catch (SQLException e) {
            healthy = isValid(c);
            if (fatal(e)) {
                fatalListener.accept(e);
            }
            throw e;
        } finally {
            giveBack(c, healthy);
        }
    }

    /** Sets who hears of failures that mean the database is gone. */
    void onFatal(java.util.function.Consumer<SQLException> listener) {
        this.fatalListener = listener;
    }

    /**
     * Whether a failure means the database (not the statement) is broken: a lost connection, a database that
     * closed itself, a file that cannot be written, memory exhausted inside the database. The SQL states are the
     * standard connection class (08) and PostgreSQL's and H2's own codes for these.
     */
    static boolean fatal(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53100") || state.equals("25006")
                        || java.util.Set.of("90098", "90121", "90028", "90031", "90030", "90097", "90108")
                                .contains(state)) {
                    return true;
                }
            }
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes every connection, also those in use (their work fails), and opens the pool afresh.
     *
     * @throws SQLException if the database cannot be opened again
     */
    void reopen() throws SQLException {
        synchronized (all) {
            all.forEach(JdbcPool::closeQuietly);
            all.clear();
            idle.clear();
        }
        List<Connection> fresh = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                fresh.add(open(reopenUrl));
            }
        } catch (SQLException e) {
            fresh.forEach(JdbcPool::closeQuietly);
            throw e;
        }
        synchronized (all) {
            if (closed) {
                fresh.forEach(JdbcPool::closeQuietly);
                return;
            }
            all.addAll(fresh);
            idle.addAll(fresh);
        }
    }

    /**
     * Runs work in one transaction, committed on success and rolled back on failure. A transaction the database
     * rolled back to break a deadlock or a serialization conflict ({@link #conflict}) is run again, up to
     * {@value #CONFLICT_ATTEMPTS} times in all: the other transaction has gone on by then. Found under load: the store
     * writer's acknowledgements and the pipeline's round update the same message rows, in different orders, and H2
     * chose the writer's batch of 512 writes as the victim, failing every send and ack in it. So work must be safe
     * to run again (only database work, or results set again on each run).
     *
     * @param work the work
     * @param <T> its result
     * @return the result
     * @throws SQLException from the work or the commit
     */
    <T> T inTransaction(Work<T> work) throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                return withConnection(c -> once(c, work));
            } catch (SQLException e) {
                if (attempt >= CONFLICT_ATTEMPTS || !conflict(e)) {
                    throw e;
                }
                backOff(attempt, e);
            }
        }
    }

    /**
     * Waits a random 0 to 2^(attempt+1) ms before a conflict's next attempt. Run again at once, the two sides of a
     * deadlock may both have been rolled back and meet again in the same order, every time (seen five times in a
     * row on a loaded machine); the random pause lets one of them go first.
     */
    private static void backOff(int attempt, SQLException conflict) throws SQLException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(2L << attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw conflict;
        }
    }

    /** Attempts of a transaction that lost a deadlock or a serialization conflict, the first included. */
    static final int CONFLICT_ATTEMPTS = 5;

    private static <T> T once(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Whether a failure, or one it chains (a JDBC batch reports its rows' failures so), is a transaction rolled
     * back by the database to resolve a conflict: SQL state 40001 (serialization failure; H2's deadlock too) or
     * PostgreSQL's 40P01 (deadlock detected).
     */
    static boolean conflict(SQLException e) {
        return Sql.anyState(e, "40001", "40P01");
    }

    private Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("the message store is closed");
        }
        synchronized (all) {
            if (all.isEmpty()) { // a reopen failed: fail at once rather than wait for a connection that never comes
                throw new SQLException("the database is unavailable (the server is reconnecting)", "08003");
            }
        }
        try {
            Connection c = idle.poll(BORROW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new SQLException("no database connection free after " + BORROW_TIMEOUT.toSeconds() + " s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
    }

    private void giveBack(Connection c, boolean healthy) {
        synchronized (all) {
            if (closed || !all.contains(c)) { // closed, or reopened meanwhile: this one is of the old pool
                closeQuietly(c);
                return;
            }
        }
        Connection back = c;
        if (!healthy) {
            closeQuietly(c);
            try {
                back = open(reopenUrl);
            } catch (SQLException e) {
                // Put the broken one back; the next user gets the error and tries to replace it again.
                back = c;
            }
            synchronized (all) {
                all.remove(c);
                all.add(back);
            }
        }
        idle.add(back);
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Closes a JDBC connection that may be broken already (or {@code null}), ignoring the failure: the one way
     * the server drops a session it gives up on.
     *
     * @param c the connection, or {@code null}
     */
    public static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection that is already broken
        }
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            all.forEach(JdbcPool::closeQuietly);
            all.clear();
        }
        idle.clear();
    }
}
