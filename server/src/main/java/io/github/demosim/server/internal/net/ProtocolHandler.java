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
