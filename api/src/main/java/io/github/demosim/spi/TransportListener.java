package io.github.demosim.spi;

import io.github.demosim.TransportException;

/**
 * Receives what arrives on a {@link TransportSession}. Calls are sequential, in arrival order, on a thread of
 * the transport's dispatcher (never an I/O thread, never the thread that called {@code connect}).
 */
public interface TransportListener {

    /**
     * A text frame arrived (binary frames arrive here too, decoded as UTF-8).
     *
     * @param session the session
     * @param text the frame
     */
    void onText(TransportSession session, String text);

    /**
     * The connection failed: a dead peer (idle timeout), an inbound-buffer overflow, an I/O error. Always
     * followed by {@link #onClosed}.
     *
     * @param session the session
     * @param error what went wrong
     */
    default void onError(TransportSession session, TransportException error) {
    }

    /**
     * The connection is closed. Called exactly once per session, last.
     *
     * @param session the session
     * @param code the close code (1006 when the connection was lost without a close frame)
     * @param reason the reason, possibly empty
     * @param remote {@code true} if the server closed or the connection was lost, {@code false} if this side closed
     */
    default void onClosed(TransportSession session, int code, String reason, boolean remote) {
    }
}
