package io.github.demosim.server.internal.store;

import java.util.List;

/**
 * One page of a read that is done in pages, so that no query ever loads more than a page's bytes.
 *
 * @param rows the rows, in the read's order
 * @param next where the next page starts, or {@code null} if no row follows
 * @param <T> the row type
 */
public record Page<T>(List<T> rows, Cursor next) {
    /**
     * Copies the rows.
     *
     * @param rows rows
     * @param next next page or {@code null}
     */
    public Page {
        rows = List.copyOf(rows);
    }

    /**
     * A position in a queue ordered by time, then insertion: rows after it come strictly later.
     *
     * @param timestamp the last row's time, ms
     * @param sequence the last row's insertion number
     */
    public record Cursor(long timestamp, long sequence) {
        /** Before every row. */
        public static final Cursor START = new Cursor(Long.MIN_VALUE, Long.MIN_VALUE);
    }
}
