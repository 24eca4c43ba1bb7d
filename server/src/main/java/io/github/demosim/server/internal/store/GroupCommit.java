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
 * <p>A batch closes when the queue is empty or at {@link #MAX_ROWS} rows or {@link #MAX_BATCH_BYTES} bytes. Its
 * inserts, then its acknowledgements, go to the database as one JDBC batch of one prepared statement each (no
 * statement prepared per row; one round trip per statement on PostgreSQL). A duplicate message hash fails that
 * batch: the transaction is rolled back and written again row by row, each insert behind a savepoint, so that the
 * duplicate fails only its caller. Anything else fails the whole batch and every caller in it (nothing of it is
 * committed). A future completes only after the commit, so whoever answers a client from it answers about a
 * durable row.
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
        return submit(new Insert(row));
    }

    CompletableFuture<Boolean> acknowledge(String toKey, String messageHash) {
        return submit(new Ack(toKey, messageHash));
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
        List<Insert> inserts = new ArrayList<>();
        List<Ack> acks = new ArrayList<>();
        for (Write<?> w : batch) {
            if (w instanceof Insert i) {
                inserts.add(i);
            } else {
                acks.add((Ack) w);
            }
        }
        try {
            try {
                pool.inTransaction(c -> writeBatched(c, inserts, acks));
            } catch (SQLException e) {
                if (!uniqueViolation(e)) {
                    throw e;
                }
                // A hash of the batch is stored already (or twice in the batch): nothing of it was committed.
                // Again, row by row, so that only the duplicates fail.
                pool.inTransaction(c -> writeRowByRow(c, inserts, acks));
            }
        } catch (SQLException e) {
            StoreException failure = JdbcMessageStore.translate("commit " + batch.size() + " writes", e);
            batch.forEach(w -> w.done.completeExceptionally(failure));
            return;
        } catch (RuntimeException e) {
            StoreException failure = new StoreException("commit " + batch.size() + " writes failed: " + e, e);
            batch.forEach(w -> w.done.completeExceptionally(failure));
            return;
        }
        batch.forEach(Write::complete); // after the commit, in queue order: each answer is about a durable row
    }

    /**
     * The common case, no duplicate: each kind of write as one JDBC batch of one prepared statement. Inserts go
     * before acknowledgements whatever their order in the queue; that changes nothing a client can see, because an
     * acknowledgement only matches a row in {@code pending_ack} that its recipient was handed, and no client is
     * handed a row before its commit completes.
     */
    private static Void writeBatched(Connection c, List<Insert> inserts, List<Ack> acks) throws SQLException {
        if (!inserts.isEmpty()) {
            try (L2psMessageWrites.Inserts statements = new L2psMessageWrites.Inserts(c)) {
                for (Insert i : inserts) {
                    statements.add(i.row);
                }
                statements.execute();
            }
        }
        if (!acks.isEmpty()) {
            try (L2psMessageWrites.Acks statements = new L2psMessageWrites.Acks(c)) {
                for (Ack a : acks) {
                    statements.add(a.toKey, a.messageHash);
                }
                int[] changed = statements.execute();
                for (int k = 0; k < changed.length; k++) {
                    acks.get(k).succeeded(changed[k] > 0);
                }
            }
        }
        for (Insert i : inserts) {
            i.succeeded(null);
        }
        return null;
    }

    /** After a duplicate: each insert behind a savepoint of its own, so that a duplicate fails only its caller. */
    private static Void writeRowByRow(Connection c, List<Insert> inserts, List<Ack> acks) throws SQLException {
        if (!inserts.isEmpty()) {
            try (L2psMessageWrites.Inserts statements = new L2psMessageWrites.Inserts(c)) {
                for (Insert i : inserts) {
                    Savepoint before = c.setSavepoint();
                    try {
                        statements.one(i.row);
                        c.releaseSavepoint(before);
                        i.succeeded(null);
                    } catch (SQLException e) {
                        if (!JdbcMessageStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                            throw e;
                        }
                        c.rollback(before);
                        i.failed(JdbcMessageStore.translate("insert message", e));
                    }
                }
            }
        }
        writeBatched(c, List.of(), acks);
        return null;
    }

    /** Whether a failure, or one it chains (a JDBC batch reports its rows' failures so), is a duplicate key. */
    static boolean uniqueViolation(SQLException e) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                if (JdbcMessageStore.UNIQUE_VIOLATION.equals(s.getSQLState())) {
                    return true;
                }
                if (s.getNextException() != null) {
                    todo.add(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return false;
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

    /** One pending write, its size in bytes (for the bounds), its caller's future and its outcome. */
    private abstract static class Write<T> {
        final long bytes;
        final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private StoreException rowFailure;

        Write(long bytes) {
            this.bytes = bytes;
        }

        /** Set inside the transaction; only reported once it committed (a retry sets it again). */
        final void succeeded(T value) {
            result = value;
            rowFailure = null;
        }

        final void failed(StoreException failure) {
            result = null;
            rowFailure = failure;
        }

        final void complete() {
            if (rowFailure != null) {
                done.completeExceptionally(rowFailure);
            } else {
                done.complete(result);
            }
        }
    }

    private static final class Insert extends Write<Void> {
        final L2psMessageRow row;

        Insert(L2psMessageRow row) {
            super(256L + Utf8.size(row.from(), row.to(), row.messageHash(), row.encryptedJson()));
            this.row = row;
        }
    }

    private static final class Ack extends Write<Boolean> {
        final String toKey;
        final String messageHash;

        Ack(String toKey, String messageHash) {
            super(128L + toKey.length() + messageHash.length());
            this.toKey = toKey;
            this.messageHash = messageHash;
        }
    }
}
