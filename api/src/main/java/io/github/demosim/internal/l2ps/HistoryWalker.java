package io.github.demosim.internal.l2ps;

import io.github.demosim.ErrorCode;
import io.github.demosim.HistoryPage;
import io.github.demosim.ImException;
import io.github.demosim.frame.l2ps.StoredMessage;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Walks a whole conversation, newest first, page by page, with no gap and no repeat.
 *
 * <p>The server's {@code before} is strict and its timestamps are milliseconds, so paging with
 * {@code before = oldest timestamp of the page} skips the messages that share that millisecond but did not
 * fit in the page ({@code l2ps.md} §7.1, §10 B12). This walker asks for {@code before = boundary + 1}
 * instead, so the boundary millisecond is fetched again, and drops the messages it has already returned by
 * id. When a page holds nothing older than the boundary although more messages exist (more messages share
 * that millisecond than a page holds), it doubles the page size until the page reaches past it.
 *
 * <p>Correct because rows come newest first: a page that reaches a message older than the boundary holds
 * every message of the boundary millisecond.
 */
final class HistoryWalker implements Iterator<StoredMessage> {

    /** Fetches one page; blocking. */
    @FunctionalInterface
    interface PageSource {
        HistoryPage fetch(Long before, int limit);
    }

    private static final int MAX_PAGE = 100_000;

    private final PageSource source;
    private final int pageSize;
    private final ArrayDeque<StoredMessage> ready = new ArrayDeque<>();
    private final Set<String> seenAtBoundary = new HashSet<>();
    private Long boundary;
    private int limit;
    private boolean exhausted;

    HistoryWalker(PageSource source, int pageSize) {
        this.source = source;
        this.pageSize = pageSize;
        this.limit = pageSize;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !exhausted) {
            fetchNext();
        }
        return !ready.isEmpty();
    }

    @Override
    public StoredMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the conversation has no more messages");
        }
        return ready.poll();
    }

    private void fetchNext() {
        HistoryPage page = source.fetch(boundary == null ? null : boundary + 1, limit);
        long oldest = Long.MAX_VALUE;
        for (StoredMessage m : page.messages()) {
            oldest = Math.min(oldest, m.timestamp());
            boolean fresh = boundary == null || m.timestamp() < boundary || seenAtBoundary.add(m.id());
            if (fresh) {
                ready.add(m);
            }
        }
        if (!page.hasMore()) {
            exhausted = true;
            return;
        }
        if (page.messages().isEmpty()) {
            throw new ImException(ErrorCode.SERVER_ERROR, "The server said more history exists but sent an empty "
                    + "page (limit " + limit + "); stopping instead of asking forever");
        }
        if (boundary != null && oldest >= boundary) {
            // the whole page sits in the boundary millisecond: more share it than a page holds
            if (limit >= MAX_PAGE || page.messages().size() < limit) {
                throw new ImException(ErrorCode.SERVER_ERROR, "More than " + page.messages().size()
                        + " messages share the millisecond " + boundary + " and the server will not return more "
                        + "per page (asked for " + limit + "); the history cannot be paged past it without gaps");
            }
            limit = Math.min(MAX_PAGE, limit * 2);
            return;
        }
        if (boundary == null || oldest < boundary) {
            seenAtBoundary.clear();
            for (StoredMessage m : page.messages()) {
                if (m.timestamp() == oldest) {
                    seenAtBoundary.add(m.id());
                }
            }
        }
        boundary = oldest;
        limit = pageSize;
    }
}
