package io.github.demosim.spi;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** An open WebSocket connection. Thread-safe: frames sent from several threads go out whole, in call order. */
public interface TransportSession {

    /**
     * Returns the URI this session is connected to.
     *
     * @return the URI
     */
    URI uri();

    /**
     * Sends one text frame.
     *
     * @param text the frame
     * @return completes when the frame is handed to the socket, or exceptionally with a
     *     {@link io.github.demosim.TransportException} if the connection is closed or fails
     */
    CompletableFuture<Void> sendText(String text);

    /**
     * Starts the closing handshake. If the server does not answer within the connect timeout, the socket is
     * closed anyway. Calling it again, or after the connection ended, changes nothing.
     *
     * @param code the close code: 1000–1003, 1007–1011 or 3000–4999
     * @param reason the reason, at most 123 UTF-8 bytes
     * @return completes when the connection is closed (the listener's {@code onClosed} may still be on its way)
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    CompletableFuture<Void> close(int code, String reason);

    /**
     * Closes the connection at once, without waiting for the server. The listener gets
     * {@code onClosed(1006, "aborted", false)}, without {@code onError}.
     */
    void abort();

    /**
     * Returns whether the connection is open.
     *
     * @return {@code true} until closing starts
     */
    boolean isOpen();
}
