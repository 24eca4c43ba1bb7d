package io.github.demosim.frame.l2ps;

import java.util.List;

/**
 * Server to client: one page of history, newest first ({@code l2ps.md} §7.1).
 *
 * @param messages the page
 * @param hasMore whether older messages remain
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record HistoryResponse(
        List<StoredMessage> messages,
        boolean hasMore,
        Long timestamp,
        String requestId) implements L2psServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "history_response";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the frame.
     *
     * @param messages the page
     * @param hasMore whether older messages remain
     * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
     * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
     */
    public HistoryResponse {
        messages = messages == null ? java.util.List.of() : java.util.List.copyOf(messages);
    }
}
