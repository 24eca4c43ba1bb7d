package io.github.demosim;

import io.github.demosim.frame.l2ps.StoredMessage;
import java.util.List;

/**
 * One page of the conversation with a peer, newest first ({@code history_response}, {@code l2ps.md} §7.1).
 *
 * <p>To walk a whole conversation use {@link L2psMessagingPeer#historyStream(String, int)}: paging by hand
 * with {@code before} = the oldest timestamp of a page skips messages that share that millisecond, because
 * the server's {@code before} is strict ({@code l2ps.md} §10 B12).
 *
 * @param messages the messages, newest first
 * @param hasMore whether older messages remain
 */
public record HistoryPage(List<StoredMessage> messages, boolean hasMore) {

    /**
     * Creates the page.
     *
     * @param messages the messages; copied
     * @param hasMore whether older messages remain
     */
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
