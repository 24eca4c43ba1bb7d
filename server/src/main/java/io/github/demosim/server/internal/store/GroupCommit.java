package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one thread takes the message writes waiting from every connection (inserts, acknowledgements)
 * and commits them together in one transaction, then completes each caller's future. On H2 every commit
 * serialises the changed B-tree pages into a new chunk (about 290 µs of CPU whatever the commit holds,
 * docs/performance.md), and on PostgreSQL every commit waits for a WAL flush: shared by a batch, that cost is paid
 * once per batch instead of once per message.
 *
 * <p>A batch closes when the queue is empty or at {@link #MAX_ROWS} rows or {@link #MAX_BATCH_BYTES} bytes. A row
 * that fails on its own (a duplicate message hash) is rolled back to its savepoint and fails only its caller;
 * anything else fails the whole batch and every caller in it (nothing of it is committed). A future completes
 * only after the commit, so whoever answers a client from it answers about a durable row.
 *
 * <p>The queue is bounded in bytes ({@link #MAX_QUEUED_BYTES}): past it, callers wait for room. Callers are
 * connection handlers, which hold their connection while their write is in flight, so in practice the queue
 * holds at most one write per connection; the bound is the backstop. Futures complete on the writer's thread, in
 * queue order: a callback must be short and must never wait for another grouped write.
 */
final class GroupCommit implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());
    static final int MAX_ROWS = 512;
    static final long MAX_BATCH_BYTES = 4L << 20;
    static final long MAX_QUEUED_BYTES = 64L << 20;
    private static final long CLOSE_WAIT_MS = 10_000;

    private final JdbcPool pool;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Write<?>> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean closed;
    private final Thread thread;

    GroupCommit(JdbcPool pool) {
        this.pool = pool;
        this.thread = new Thread(this::run, "demos-im-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Void> insert(L2psMessageRow row) {
        long bytes = 256L + Utf8.size(row.from(), row.to(), row.messageHash(), row.encryptedJson());
        return submit(new Write<Void>(bytes) {
            @Override
            Void apply(Connection c) throws SQLException {
                // Only this row is undone if its hash is already stored (or was inserted earlier in the batch).
                Savepoint before = c.setSavepoint();
                try {
                    L2psMessageWrites.insert(c, row);
                } catch (SQLException e) {
                    if (!JdbcMessageStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(before);
                    throw new RowFailed(JdbcMessageStore.translate("insert message", e));
                }
                c.releaseSavepoint(before);
                return null;
            }
        });
    }

    CompletableFuture<Boolean> acknowledge(String toKey, String messageHash) {
        return submit(new Write<Boolean>(128L + toKey.length() + messageHash.length()) {
            @Override
            Boolean apply(Connection c) throws SQLException {
                return L2psMessageWrites.acknowledge(c, toKey, messageHash) > 0;
            }
        });
    }

    private <T> CompletableFuture<T> submit(Write<T> w) {
        lock.lock();
        try {
            // Wait for room, except on the writer's own thread (a callback), which would wait for itself.
            while (!closed && queuedBytes > 0 && queuedBytes + w.bytes > MAX_QUEUED_BYTES
                    && Thread.currentThread() != thread) {
                notFull.awaitUninterruptibly();
            }
            if (closed) {
                w.done.completeExceptionally(new StoreException("the message store is closed", null));
                return w.done;
            }
            queue.add(w);
            queuedBytes += w.bytes;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return w.done;
    }

    private List<Write<?>> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                notEmpty.await();
            }
            List<Write<?>> batch = new ArrayList<>();
            long bytes = 0;
            while (!queue.isEmpty() && batch.size() < MAX_ROWS
                    && (batch.isEmpty() || bytes + queue.peek().bytes <= MAX_BATCH_BYTES)) {
                Write<?> w = queue.poll();
                bytes += w.bytes;
                batch.add(w);
            }
            queuedBytes -= bytes;
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            for (List<Write<?>> batch = take(); batch != null; batch = take()) {
                commit(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) { // nothing may end this thread quietly: every waiting caller would hang
            LOG.log(System.Logger.Level.ERROR, "the store writer stopped", t);
            failAll(new StoreException("the store writer stopped: " + t, t));
        }
        failAll(new StoreException("the message store is closed", null));
    }

    private void commit(List<Write<?>> batch) {
        try {
            pool.inTransaction(c -> {
                for (Write<?> w : batch) {
                    w.applyIn(c);
                }
                return null;
            });
        } catch (SQLException e) {
            StoreException failure = JdbcMessageStore.translate("commit " + batch.size() + " writes", e);
            batch.forEach(w -> w.done.completeExceptionally(failure));
            return;
        } catch (RuntimeException e) {
            StoreException failure = new StoreException("commit " + batch.size() + " writes failed: " + e, e);
            batch.forEach(w -> w.done.completeExceptionally(failure));
            return;
        }
        batch.forEach(Write::complete); // after the commit: each answer is about a durable row
    }

    private void failAll(StoreException failure) {
        List<Write<?>> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        left.forEach(w -> w.done.completeExceptionally(failure));
    }

    /** Commits what is queued, then stops the writer; later writes fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.MILLISECONDS.toMillis(CLOSE_WAIT_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "the store writer did not finish its last batch in {0} ms",
                    CLOSE_WAIT_MS);
        }
    }

    /** A failure of one row only: the batch goes on without it. */
    private static final class RowFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final StoreException failure;

        RowFailed(StoreException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** One pending write, its size in bytes (for the bounds) and its caller's future. */
    private abstract static class Write<T> {
        final long bytes;
        final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private StoreException rowFailure;

        Write(long bytes) {
            this.bytes = bytes;
        }

        abstract T apply(Connection c) throws SQLException;

        final void applyIn(Connection c) throws SQLException {
            try {
                result = apply(c);
            } catch (RowFailed e) {
                rowFailure = e.failure;
            }
        }

        final void complete() {
            if (rowFailure != null) {
                done.completeExceptionally(rowFailure);
            } else {
                done.complete(result);
            }
        }
    }
}
