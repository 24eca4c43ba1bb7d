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
     * Starts the closing handshake.
     *
     * @param code the close code, e.g. 1000
     * @param reason the reason, at most 123 UTF-8 bytes
     * @return completes when the connection is closed
     */
    CompletableFuture<Void> close(int code, String reason);

    /** Closes the connection at once, without a handshake. The listener still gets its {@code onClosed}. */
    void abort();

    /**
     * Returns whether the connection is open.
     *
     * @return {@code true} until closing starts
     */
    boolean isOpen();
}
