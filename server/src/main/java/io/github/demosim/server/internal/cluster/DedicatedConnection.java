package io.github.demosim.server.internal.cluster;

import io.github.demosim.server.internal.store.JdbcPool;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One session of its own, used by one part at a time (calls are serialised), opened on first use and opened
 * again on the next use after it failed. The cluster's writes are small and rare (a heartbeat every few seconds,
 * a registration per connecting peer), so one session per part is enough and keeps them off the store's pool.
 */
final class DedicatedConnection implements AutoCloseable {
    /** A unit of work in one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final ClusterDatabase database;
    private final String purpose;
    private Connection connection;
    private boolean closed;

    DedicatedConnection(ClusterDatabase database, String purpose) {
        this.database = database;
        this.purpose = purpose;
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws. When the session had
     * broken while idle (PostgreSQL restarted, the network cut), the work runs once more on a fresh session, so
     * the first write after a restart does not fail; the work must therefore be safe to run again (every cluster
     * write is: heartbeats, reaps, registrations and notices repeat harmlessly).
     */
    synchronized <T> T inTransaction(Work<T> work) throws SQLException {
        if (closed) {
            throw new SQLException("the cluster's " + purpose + " session is closed");
        }
        boolean fresh = connection == null;
        try {
            return attempt(work);
        } catch (SQLException e) {
            if (fresh || connection != null || closed) {
                throw e; // a failure on a fresh session, or one that left the session working: the work's own
            }
            return attempt(work);
        }
    }

    private <T> T attempt(Work<T> work) throws SQLException {
        if (connection == null) {
            connection = database.open(purpose, 30);
        }
        Connection c = connection;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            c.setAutoCommit(true);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (!c.isValid(2)) {
                closeQuietly();
            }
            throw e;
        }
    }

    private void closeQuietly() {
        JdbcPool.closeQuietly(connection);
        connection = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }
}
