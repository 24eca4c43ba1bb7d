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
 * Group commit: writer threads take the message writes waiting from every connection (inserts, acknowledgements)
 * and commit them in batches, one transaction per batch, then complete each caller's future. On H2 every commit
 * serialises the changed B-tree pages into a new chunk (about 290 µs of CPU whatever the commit holds,
 * docs/performance.md), and on PostgreSQL every commit waits for a WAL flush: shared by a batch, that cost is paid
 * once per batch instead of once per message.
 *
 * <p>Writers: one on H2 (one file, whose commits serialise anyway: nothing to overlap), a few on PostgreSQL, where
 * with one writer a slow WAL flush stalls every connection; several writers, each grouping, overlap their flushes
 * ({@code -Ddemos.im.store.writers}, chosen in {@code ServerRuntime}). Each writer has its own queue (a lane) and
 * commits on its own pooled connection. An insert goes to the lane of its sender ({@link #laneOf}, sticky), never
 * round-robin: one sender's messages then commit, and their futures complete, in the order they were submitted,
 * and the live write to the recipient happens in that completion (the per-pair order clients see). An
 * acknowledgement may go to any lane, because the row it names is committed before its recipient can acknowledge
 * it: a live frame is written from the insert's completion (after the commit, L2psSend.answer), a queued row is
 * read from the database by the drain (L2psDelivery), and another node reads it after the commit too. It goes to
 * its recipient's lane all the same, so that one recipient's acknowledgements stay in order and two writers never
 * lock the same rows in opposite orders.
 *
 * <p>Commit delay: a commit costs about the same whether it holds one write or thirty (on H2 it rewrites the path
 * from every changed page to its map's root), so at moderate rates, where each commit would hold one or two
 * writes, the CPU per message was three times that at saturation (docs/performance.md, issue 16). A writer whose
 * lane committed within the last {@code commitDelay} (traffic is flowing) a batch of fewer than {@link #GATHER_ROWS}
 * writes (commits are small) therefore waits up to that long for that many writes (or a batch's bytes) before it
 * commits. A lane idle for longer commits its first write at once, so a lone write is never delayed; after a large
 * batch nothing waits, so under heavy load, where the writer is the bottleneck and what it finds after a commit is
 * whatever arrived during it, it never idles (waiting after every commit there took a fifth of the throughput off
 * an unpinned closed loop). 0 turns it off.
 *
 * <p>A batch closes when its lane is empty or at {@link #MAX_ROWS} rows or {@link #MAX_BATCH_BYTES} bytes. Its
 * inserts, then its acknowledgements, go to the database as one JDBC batch of one prepared statement each (no
 * statement prepared per row; one round trip per statement on PostgreSQL). A duplicate message hash fails that
 * batch: the transaction is rolled back and written again row by row, each insert behind a savepoint, so that the
 * duplicate fails only its caller. A lock conflict with another writer's transaction (only two lanes inserting one
 * hash can cause it, so only servers sharing a PostgreSQL database: one server reserves a hash being written,
 * InFlightHashes) is retried the same way, in hash order, {@link #LOCK_RETRIES} times at most. PostgreSQL breaks a
 * deadlock by failing one transaction; H2 only by timing both out, so on H2 (one writer unless set) two writers
 * racing one hash in opposite orders can fail their batches. Anything else fails the whole batch and every caller
 * in it (nothing of it is committed). A future completes only after the commit, so whoever answers a client from
 * it answers about a durable row.
 *
 * <p>Threads: callers (connection handlers) only queue a write and wait for room; each writer thread takes its
 * lane's batches, commits them and completes their futures on itself, in its lane's queue order: a callback must be
 * short and must never wait for another grouped write. {@link #close} waits for every writer to commit what its
 * lane holds, then for the threads to end. The queues are bounded in bytes together ({@link #MAX_QUEUED_BYTES}, all
 * lanes): past it, callers wait for room (a writer's own callbacks never wait: they would wait for themselves).
 * Callers hold their connection while their write is in flight, so in practice the queues hold at most one write
 * per connection; the bound is the backstop.
 */
final class GroupCommit implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());
    static final int MAX_ROWS = 512;
    static final long MAX_BATCH_BYTES = 4L << 20;
    static final long MAX_QUEUED_BYTES = 64L << 20;
    private static final long CLOSE_WAIT_MS = 10_000;
    /** Writes a lane waits for within the commit delay: enough that a commit's fixed cost is a small share. */
    static final int GATHER_ROWS = 32;
    /** SQL states of a lock conflict between two writers: PostgreSQL's deadlock, H2's deadlock and lock timeout. */
    private static final String[] LOCK_CONFLICT = {"40P01", "40001", "HYT00"};
    /** Retries of a batch after lock conflicts, before it fails. */
    private static final int LOCK_RETRIES = 3;

    private final JdbcPool pool;
    /** One lock for every lane: the byte bound and closing are shared, and each hold is a few deque operations. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Lane[] lanes;
    private final long commitDelayNanos;
    private long queuedBytes;
    private boolean closed;

    /**
     * Starts the writers.
     *
     * @param pool the connections; each writer borrows one per batch, so it needs more than {@code writers}
     * @param writers the number of writer threads (lanes), at least 1
     * @param commitDelay how long a lane with traffic waits to gather writes into a commit; zero for never
     */
    GroupCommit(JdbcPool pool, int writers, java.time.Duration commitDelay) {
        if (writers < 1) {
            throw new IllegalArgumentException("a group commit needs at least one writer, not " + writers);
        }
        if (commitDelay.isNegative()) {
            throw new IllegalArgumentException("a commit delay cannot be negative: " + commitDelay);
        }
        this.pool = pool;
        this.commitDelayNanos = commitDelay.toNanos();
        this.lanes = new Lane[writers];
        for (int i = 0; i < writers; i++) {
            lanes[i] = new Lane(writers == 1 ? "demos-im-store-writer" : "demos-im-store-writer-" + i);
        }
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** One writer: its queue, its wake-up and its thread. Guarded by {@link #lock}, but the thread. */
    private final class Lane {
        final ArrayDeque<Write<?>> queue = new ArrayDeque<>();
        final Condition notEmpty = lock.newCondition();
        final Thread thread;
        /** When this lane last committed ({@link System#nanoTime}) and how many writes: only its thread's. */
        long lastCommit = System.nanoTime() - Long.MAX_VALUE / 2;
        int lastRows;
        /** Batches this lane took, each one commit (for tests). */
        volatile long batches;

        Lane(String name) {
            thread = new Thread(() -> run(this), name);
            thread.setDaemon(true);
        }
    }

    /**
     * The lane of a key (a sender's for inserts, a recipient's for acknowledgements): always the same one, so that
     * one key's writes commit in the order they were submitted.
     *
     * @param key the public key
     * @param lanes the number of lanes
     * @return its lane, from 0
     */
    static int laneOf(String key, int lanes) {
        int h = key.hashCode();
        return Math.floorMod(h ^ (h >>> 16), lanes);
    }

    /** Batches taken by every writer so far, each one commit (for tests: how writes were grouped). */
    long batches() {
        long n = 0;
        for (Lane lane : lanes) {
            n += lane.batches;
        }
        return n;
    }

    /** The writer threads (for tests: that close ends them). */
    List<Thread> threads() {
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            threads.add(lane.thread);
        }
        return threads;
    }

    CompletableFuture<Void> insert(L2psMessageRow row) {
        return submit(lanes[laneOf(row.from(), lanes.length)], new Insert(row));
    }

    CompletableFuture<Boolean> acknowledge(String toKey, String messageHash) {
        return submit(lanes[laneOf(toKey, lanes.length)], new Ack(toKey, messageHash));
    }

    private boolean onWriterThread() {
        Thread current = Thread.currentThread();
        for (Lane lane : lanes) {
            if (lane.thread == current) {
                return true;
            }
        }
        return false;
    }

    private <T> CompletableFuture<T> submit(Lane lane, Write<T> w) {
        boolean writer = onWriterThread();
        lock.lock();
        try {
            // Wait for room, except on a writer's thread (a callback): room comes from the writers themselves.
            while (!closed && queuedBytes > 0 && queuedBytes + w.bytes > MAX_QUEUED_BYTES && !writer) {
                notFull.awaitUninterruptibly();
            }
            if (closed) {
                w.done.completeExceptionally(new StoreException("the message store is closed", null));
                return w.done;
            }
            lane.queue.add(w);
            queuedBytes += w.bytes;
            lane.notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return w.done;
    }

    private List<Write<?>> take(Lane lane) throws InterruptedException {
        lock.lock();
        try {
            while (lane.queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                lane.notEmpty.await();
            }
            long now = System.nanoTime();
            if (commitDelayNanos > 0 && now - lane.lastCommit < commitDelayNanos && lane.lastRows < GATHER_ROWS) {
                // Traffic, in small commits: wait a little for more writes to share this one (class Javadoc).
                long deadline = now + commitDelayNanos;
                for (long left = commitDelayNanos; left > 0 && !closed && lane.queue.size() < GATHER_ROWS
                        && queuedBytes < MAX_BATCH_BYTES; left = deadline - System.nanoTime()) {
                    lane.notEmpty.awaitNanos(left);
                }
            }
            List<Write<?>> batch = new ArrayList<>();
            long bytes = 0;
            while (!lane.queue.isEmpty() && batch.size() < MAX_ROWS
                    && (batch.isEmpty() || bytes + lane.queue.peek().bytes <= MAX_BATCH_BYTES)) {
                Write<?> w = lane.queue.poll();
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

    private void run(Lane lane) {
        try {
            for (List<Write<?>> batch = take(lane); batch != null; batch = take(lane)) {
                lane.batches++; // before the commit completes any caller: whoever it wakes sees the batch counted
                commit(batch);
                lane.lastCommit = System.nanoTime();
                lane.lastRows = batch.size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) { // nothing may end this thread quietly: every caller waiting on its lane would hang
            LOG.log(System.Logger.Level.ERROR, "the store writer " + lane.thread.getName() + " stopped", t);
            stop(lane, new StoreException("the store writer stopped: " + t, t));
        }
        // The other writers commit what their lanes hold, then end (closed and empty).
        stop(lane, new StoreException("the message store is closed", null));
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
            List<Insert> rows = inserts;
            for (int attempt = 0; ; attempt++) {
                try {
                    if (attempt == 0) {
                        pool.inTransaction(c -> writeBatched(c, inserts, acks));
                    } else {
                        List<Insert> these = rows;
                        pool.inTransaction(c -> writeRowByRow(c, these, acks));
                    }
                    break;
                } catch (SQLException e) {
                    // Nothing of the batch was committed. A hash of it is stored already (or twice in it): again,
                    // row by row, so that only the duplicates fail. Another writer's transaction held one of its
                    // hashes while waiting for one of ours (a deadlock, or on H2 a lock timeout): again, row by
                    // row in hash order, an order every writer's retry shares, so two retries never wait for each
                    // other. (Within this one commit the rows' seq then follows their hashes; a pair's messages
                    // are still ordered by their timestamps, which conversation time keeps distinct.)
                    if (lockConflict(e) && attempt < LOCK_RETRIES) {
                        rows = new ArrayList<>(inserts);
                        rows.sort(java.util.Comparator.comparing((Insert i) -> i.row.messageHash()));
                    } else if (!uniqueViolation(e) || attempt > 0) {
                        throw e;
                    }
                }
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
        return Sql.anyState(e, JdbcMessageStore.UNIQUE_VIOLATION);
    }

    /** Whether a failure is a deadlock or lock timeout against another writer's transaction. */
    static boolean lockConflict(SQLException e) {
        return Sql.anyState(e, LOCK_CONFLICT);
    }

    /** Closes the store for writes and fails what one lane still holds (nothing, after a normal close). */
    private void stop(Lane lane, StoreException failure) {
        List<Write<?>> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(lane.queue);
            lane.queue.clear();
            left.forEach(w -> queuedBytes -= w.bytes);
            notFull.signalAll();
            for (Lane other : lanes) {
                other.notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
        left.forEach(w -> w.done.completeExceptionally(failure));
    }

    /** Commits what is queued, then stops the writers; later writes fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Lane lane : lanes) {
                lane.notEmpty.signalAll();
            }
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (Lane lane : lanes) {
            try {
                lane.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (lane.thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "the store writer {0} did not finish its last batch in {1} ms",
                        lane.thread.getName(), CLOSE_WAIT_MS);
            }
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
