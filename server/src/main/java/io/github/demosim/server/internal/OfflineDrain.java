package io.github.demosim.server.internal;

import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.Hold;
import io.github.demosim.server.internal.store.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a recipient's offline queue to its connection after it registered (l2ps.md §6.1, legacy-and-crypto.md
 * §A.8), one page at a time: a page (at most {@link ServerConfig#DRAIN_PAGE_ROWS} messages and
 * {@link ServerConfig#DRAIN_PAGE_BYTES} bytes past the first) is read and written; once every frame of it is
 * written, the page's messages are marked delivered and the next page is read. So the bytes in memory and in
 * flight are one page, whatever the queue holds, and no thread waits for a socket: a recipient that does not
 * read keeps one page pending until its connection closes, and then the rest of the queue stays queued. A
 * write that fails ends the drain there, keeping order: what follows stays queued too. The registration's
 * {@link Hold} is released when the drain ends, so a hardened connection's next frame is handled after it.
 *
 * @param <R> the row type
 */
public abstract class OfflineDrain<R> {
    private static final System.Logger LOG = System.getLogger(OfflineDrain.class.getName());

    /** The recipient's connection. */
    protected final Connection connection;
    private final Executor workers;
    private final Hold hold;
    private Page.Cursor cursor = Page.Cursor.START;
    private int delivered;

    /**
     * Prepares a drain; {@link #start()} runs it.
     *
     * @param connection the recipient's connection
     * @param workers runs the database work between pages
     * @param hold released when the drain ends
     */
    protected OfflineDrain(Connection connection, Executor workers, Hold hold) {
        this.connection = connection;
        this.workers = workers;
        this.hold = hold;
    }

    /**
     * Reads one page of the queue.
     *
     * @param after where the previous page ended
     * @return the page
     */
    protected abstract Page<R> load(Page.Cursor after);

    /**
     * The frame that hands a row to the recipient.
     *
     * @param row the row
     * @return the frame text
     */
    protected abstract String frame(R row);

    /**
     * Records that these rows, a leading part of a page, were written (in order).
     *
     * @param rows the rows written
     */
    protected abstract void written(List<R> rows);

    /**
     * Called once the drain ended, before the hold is released.
     *
     * @param failure what broke it (a store failure), or {@code null}
     */
    protected abstract void ended(RuntimeException failure);

    /** Reads and writes the first page, on the caller's thread; the rest follows as writes complete. */
    public void start() {
        nextPage();
    }

    private void nextPage() {
        Page<R> page;
        try {
            page = load(cursor);
        } catch (RuntimeException e) {
            end(e);
            return;
        }
        if (page.rows().isEmpty()) {
            end(null);
            return;
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>(page.rows().size());
        for (R row : page.rows()) {
            writes.add(connection.send(frame(row)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            try {
                workers.execute(() -> pageWritten(page, writes));
            } catch (RejectedExecutionException e) {
                end(null); // stopping: the rest stays queued
            }
        });
    }

    private void pageWritten(Page<R> page, List<CompletableFuture<Void>> writes) {
        List<R> handed = new ArrayList<>(page.rows().size());
        for (int i = 0; i < writes.size() && !writes.get(i).isCompletedExceptionally(); i++) {
            handed.add(page.rows().get(i));
        }
        try {
            if (!handed.isEmpty()) {
                written(handed);
                delivered += handed.size();
            }
        } catch (RuntimeException e) {
            end(e);
            return;
        }
        if (handed.size() < page.rows().size() || page.next() == null) {
            end(null);
            return;
        }
        cursor = page.next();
        nextPage();
    }

    private void end(RuntimeException failure) {
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, connection + ": offline delivery failed after " + delivered
                    + " messages", failure);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: delivered {1} queued messages", connection, delivered);
        }
        try {
            ended(failure);
        } finally {
            hold.release();
        }
    }
}
