package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: the single-row writes of concurrent callers share one transaction, so that one commit (one H2
 * chunk write with {@code WRITE_DELAY=0}, one WAL flush on PostgreSQL) makes all of them durable instead of one
 * each. Commits are what limits a hardened server's message rate: each costs far more than the statement.
 *
 * <p>Guarantees are those of auto-commit: {@link #run} returns only after the transaction holding the caller's
 * write committed, so nothing is acknowledged before it is persisted; writes apply in arrival order, and a
 * caller's later write always lands in a later or the same transaction, so the order of one conversation is
 * kept. A write that fails (a duplicate key) is rolled back to its own savepoint and fails alone; a failed commit
 * fails every write of the group. The first caller to find no group under way leads: it runs the waiting writes
 * on one pooled connection and commits; callers arriving meanwhile wait and form the next group.
 */
final class GroupCommit {
    /** Bounds one transaction, so that a burst does not hold one caller for a very long group. */
    private static final int MAX_GROUP = 256;

    private final JdbcPool pool;
    private final ArrayDeque<Write<?>> waiting = new ArrayDeque<>();
    private boolean leading;

    GroupCommit(JdbcPool pool) {
        this.pool = pool;
    }

    /**
     * Runs a write in the next group and waits until that group committed.
     *
     * @param work the write (one or a few statements on the given connection, no commit of its own)
     * @param <T> its result
     * @return its result, once durable
     * @throws SQLException from the write or the commit
     */
    <T> T run(JdbcPool.Work<T> work) throws SQLException {
        Write<T> write = new Write<>(work);
        boolean interrupted = false;
        boolean lead;
        synchronized (this) {
            waiting.add(write);
            // Not interruptible: once queued, the write will be committed by some leader, and the caller must
            // not return (and answer its client) before it knows the outcome.
            while (!write.done && leading) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            lead = !write.done;
            if (lead) {
                leading = true;
            }
        }
        try {
            if (lead) {
                lead(write);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return write.outcome();
    }

    private void lead(Write<?> mine) {
        try {
            while (!mine.done) {
                List<Write<?>> group = new ArrayList<>();
                synchronized (this) {
                    while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
                        group.add(waiting.poll());
                    }
                }
                commit(group);
                synchronized (this) {
                    group.forEach(w -> w.done = true);
                    notifyAll();
                }
            }
        } finally {
            synchronized (this) {
                leading = false;
                notifyAll();
            }
        }
    }

    private void commit(List<Write<?>> group) {
        try {
            pool.withConnection(c -> {
                c.setAutoCommit(false);
                try {
                    boolean alone = group.size() == 1;
                    for (Write<?> w : group) {
                        w.apply(c, alone);
                    }
                    c.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            });
        } catch (SQLException e) {
            group.forEach(w -> w.failCommit(e));
        } catch (RuntimeException e) {
            group.forEach(w -> w.failCommit(new SQLException("group commit failed: " + e, e)));
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    /** One caller's write and, once its group is done, its outcome. */
    private static final class Write<T> {
        private final JdbcPool.Work<T> work;
        private T result;
        private SQLException failure;
        private RuntimeException runtimeFailure;
        private boolean done; // guarded by the GroupCommit's monitor

        Write(JdbcPool.Work<T> work) {
            this.work = work;
        }

        /** Runs the write; in a group, behind a savepoint so that its failure does not undo the others. */
        void apply(Connection c, boolean alone) throws SQLException {
            if (alone) {
                // Alone in its transaction: a failure rolls the whole transaction back, which is this write.
                result = work.run(c);
                return;
            }
            Savepoint savepoint = c.setSavepoint();
            try {
                result = work.run(c);
            } catch (SQLException e) {
                c.rollback(savepoint);
                failure = e;
            } catch (RuntimeException e) {
                c.rollback(savepoint);
                runtimeFailure = e;
            }
        }

        void failCommit(SQLException e) {
            result = null;
            if (failure == null && runtimeFailure == null) {
                failure = e;
            }
        }

        T outcome() throws SQLException {
            if (failure != null) {
                throw failure;
            }
            if (runtimeFailure != null) {
                throw runtimeFailure;
            }
            return result;
        }
    }
}
