package io.github.demosim.server.internal.net;

/**
 * A protocol's server side. Calls for one connection never overlap when the host runs it in ordered mode;
 * in unordered mode (the reference's model) frames of one connection may be handled concurrently.
 * Implementations must not throw: a handler failure is the handler's to answer.
 */
public interface ProtocolHandler {

    /**
     * A connection opened. Called on the I/O thread before any frame of the connection is handled, so it
     * must be quick; the server sends nothing on open in either protocol.
     *
     * @param connection the connection
     */
    void onOpen(Connection connection);

    /**
     * A message arrived.
     *
     * @param connection the connection
     * @param text the message (a binary message decoded as UTF-8)
     * @param rawLength its size as the reference measures it: UTF-16 units for text, bytes for binary
     */
    void onFrame(Connection connection, String text, int rawLength);

    /**
     * The most bytes of one message this protocol needs to see. A longer message is refused for its length
     * alone, whatever it holds, so the host keeps none of its bytes past this many: it reads the message to its
     * end, discarding, and calls {@link #onTooLarge} instead of {@link #onFrame}. Text is counted in UTF-8 bytes
     * here. Default: no limit below the transport's (every message is seen whole).
     *
     * @param binary whether the message is binary
     * @return the limit in bytes
     */
    default long contentLimit(boolean binary) {
        return Long.MAX_VALUE;
    }

    /**
     * A message longer than {@link #contentLimit} arrived; its content was dropped unread. Called where
     * {@link #onFrame} would have been, in the same order.
     *
     * @param connection the connection
     */
    default void onTooLarge(Connection connection) {
        throw new UnsupportedOperationException("a protocol with a content limit answers messages beyond it");
    }

    /**
     * Flood control by pace (ordered mode): how long to wait, after a message of this connection was handled,
     * before reading its next one. The client is slowed by TCP back-pressure instead of being refused, so
     * nothing it sent is lost and a flood costs the server nothing: the unread frames wait in the client's
     * socket. Default: no pause.
     *
     * @param connection the connection
     * @return nanoseconds, 0 to read on at once
     */
    default long pauseNanos(Connection connection) {
        return 0;
    }

    /**
     * The connection closed (by either side or by failure).
     *
     * @param connection the connection
     * @param code the close status code
     */
    void onClose(Connection connection, int code);

    /**
     * Whether the frames of one connection must be handled one at a time, in arrival order.
     *
     * @return {@code true} for ordered handling
     */
    boolean ordered();
}
