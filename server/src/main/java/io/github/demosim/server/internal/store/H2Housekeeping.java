package io.github.demosim.server.internal.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps an embedded H2 file from growing without bound: every {@link #INTERVAL_MS} ms it has H2 rewrite the live
 * pages of its sparsest old chunks ({@link MVStore#compact}), so that those chunks die and their space is reused,
 * and, once the file is mostly free space, move chunks down into the gaps and cut the file
 * ({@link org.h2.mvstore.RandomAccessStore#compactMoveChunks}): what H2's own background housekeeping does.
 *
 * <p>Why the server does it: H2 writes each commit as a new chunk of the file and frees a chunk only once none of
 * its pages is live. Nearly every commit leaves a page that stays live for good (a message body, a message's last
 * state), so no chunk ever dies unless its live pages are copied elsewhere. H2 does that copying in its background
 * writer thread, which runs only with a write delay; the server opens H2 files with {@code WRITE_DELAY=0} (a
 * message is on disk before it is acknowledged), so nothing did it: at 1,000 msg/s the file grew by 48 KB per
 * message, 4.8 GB in 100 s, for ever (docs/performance.md, issue 16). H2 still rewrites and reuses only chunks
 * older than its retention time (45 s by default; {@code RETENTION_TIME} in the URL), which protects the file
 * against writes reordered by a power loss. It does not keep up yet: at 1,000 msg/s on two cores the file's growth
 * falls from 57 MB/s to about 8 MB/s, but goes on (8.1 GB after 400 s), and at saturation it grows by 50-90 MB/s:
 * the rewriting competes with the traffic for the CPU, and each step's own cost grows with the number of chunks
 * (docs/performance.md, issue 16, sessions 9 and 10). Nor can it bound the file by its live data: under load H2
 * keeps counting some dead leaves of the queue and pipeline indexes as live, and never frees their chunks, which it
 * then picks first at every step and cannot move (session 11, where a write stall was tried and not kept).
 *
 * <p>Threads: one daemon thread; H2 takes its store lock for a rewrite or a move, so a commit waits while a
 * rewrite step of at most {@link #WRITE_BYTES} or a move of at most {@link #MOVE_BYTES} runs. Only for an embedded
 * file: a database in memory has no file, and an H2 server ({@code jdbc:h2:tcp:}) does its own.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(H2Housekeeping.class.getName());
    /** Time between runs. */
    static final long INTERVAL_MS = 200;
    /**
     * Time a run goes on rewriting while there is something to rewrite, at most a quarter of one core: the work
     * grows with the traffic (1,000 msg/s leave about 5 MiB/s of live pages in old chunks on this project's
     * benchmark), so a fixed amount per run would fall behind at some rate.
     */
    static final long BUDGET_MS = 50;
    /** Live bytes rewritten per step: a step holds H2's store lock, and commits wait for it. */
    static final int WRITE_BYTES = 1 << 20;
    /** H2 rewrites only while its chunks hold less live data than this share (percent) of their size. */
    static final int TARGET_FILL_RATE = 50;
    /** Chunks are moved together once less than this share (percent) of the file is in use. */
    static final int MOVE_BELOW_FILL_RATE = 50;
    /** Bytes of chunks moved per run at most. */
    static final long MOVE_BYTES = 16L << 20;
    private static final long WARN_EVERY_MS = 60_000;
    /**
     * {@link MVStore#compact} answers false both when there is nothing to rewrite and when it did not get H2's store
     * lock, which it tries for 10 ms; a false that took at least this long is taken for the second.
     */
    private static final long LOCK_TRY_NANOS = TimeUnit.MILLISECONDS.toNanos(9);

    private final JdbcPool pool;
    private final ScheduledExecutorService thread;
    private long lastWarning = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(WARN_EVERY_MS);
    /** The database's store as last looked up (the running thread's, or a test's). */
    private volatile MVStore store;

    private H2Housekeeping(JdbcPool pool) {
        this.pool = pool;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demos-im-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the housekeeping of an embedded H2 file.
     *
     * @param pool the store's connections, each to the same database
     * @return the running housekeeping
     */
    static H2Housekeeping start(JdbcPool pool) {
        H2Housekeeping h = new H2Housekeeping(pool);
        h.thread.scheduleWithFixedDelay(h::runOnce, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return h;
    }

    /**
     * One run: what the thread does every {@link #INTERVAL_MS} ms (tests call it directly, the thread stopped).
     *
     * @return whether chunks were rewritten (then a run right after may find more to do)
     */
    boolean runOnce() {
        boolean rewrote = false;
        try {
            // Looked up again only once closed: the pool reopens the database after a failure, with a new store.
            MVStore store = this.store;
            if (store == null || store.isClosed()) {
                store = pool.withConnection(H2Housekeeping::storeOf);
                this.store = store;
                if (store == null) {
                    return false;
                }
            }
            // Rewrites in steps of WRITE_BYTES (commits run between them) for up to BUDGET_MS: as much as the
            // traffic leaves to do, within a bounded share of one core.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                if (store.compact(TARGET_FILL_RATE, WRITE_BYTES)) {
                    // The rewritten pages are only marked changed: written now, their old chunks die even when no
                    // message comes to commit them (H2's background writer commits for the same reason).
                    store.commit();
                    rewrote = true;
                } else if (System.nanoTime() - started < LOCK_TRY_NANOS) {
                    break; // answered at once: nothing to rewrite (chunks full enough, or younger than retention)
                }
                // else most likely H2's store lock stayed busy for its whole try: commits hold it often under load
            }
            // Freed chunks leave gaps, and a new chunk goes to the end of the file where none is large enough:
            // once the file is mostly gaps, chunks are moved down into them and the file is cut (H2 syncs the file
            // before it overwrites anything, so this does not wait for the retention time).
            if (store.getFillRate() < MOVE_BELOW_FILL_RATE
                    && store.getFileStore() instanceof org.h2.mvstore.RandomAccessStore file) {
                file.compactMoveChunks(101, MOVE_BYTES, store);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            // A closed or failing database: the store's own error handling reports it and reopens it; this only
            // tries again at the next run (an exception escaping would end the runs for good).
            long now = System.nanoTime();
            if (now - lastWarning >= TimeUnit.MILLISECONDS.toNanos(WARN_EVERY_MS)) {
                lastWarning = now;
                LOG.log(System.Logger.Level.WARNING, "H2 file housekeeping failed (retrying every "
                        + INTERVAL_MS + " ms, reported once a minute): " + e.getMessage());
            }
        } catch (LinkageError e) {
            // H2's classes not accessible to this module (a module layer in which the server does not read
            // com.h2database): say so once, rather than letting the runs end without a word.
            LOG.log(System.Logger.Level.WARNING, "H2 file housekeeping cannot run, so the H2 file will keep every "
                    + "chunk it writes (docs/server.md, \"The H2 file's housekeeping\"): " + e);
            thread.shutdown();
        }
        return rewrote;
    }

    /** The file's size as H2 reports it; -1 before the first run found the store, or once it is closed. */
    long fileBytes() {
        MVStore s = store;
        return s == null || s.isClosed() || s.getFileStore() == null ? -1 : s.getFileStore().size();
    }

    /**
     * The file of the embedded H2 database behind a connection, as H2 names it (with its file-system prefix).
     *
     * @return the name, or {@code null} where there is none or H2's classes are not readable here
     */
    static String fileNameOf(java.sql.Connection c) throws java.sql.SQLException {
        try {
            MVStore s = storeOf(c);
            return s == null || s.getFileStore() == null ? null : s.getFileStore().getFileName();
        } catch (LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot find the H2 database file (" + e + "): the disk reserve "
                    + "does not apply");
            return null;
        }
    }

    /** The MVStore behind a connection to an embedded H2 database, or {@code null} where there is none. */
    private static MVStore storeOf(java.sql.Connection c) throws java.sql.SQLException {
        if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                && session.getDatabase().getStore() != null) {
            return session.getDatabase().getStore().getMvStore();
        }
        return null;
    }

    /** Stops the thread, waiting for a rewrite under way (H2 finishes it or the store's close ends it). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
