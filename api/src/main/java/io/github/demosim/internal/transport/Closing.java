package io.github.demosim.internal.transport;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.spi.InboundDispatcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * How this project's transports end a session, the same on each: {@link #close} and {@link #abort} as
 * {@link io.github.demosim.spi.TransportSession} specifies them, the bound on waiting for a close the server
 * never answers, and the texts of a send on a closed session and of a lost connection. What differs per library
 * (sending the close frame, dropping the socket) is passed in.
 */
public final class Closing {
    private Closing() {
    }

    /**
     * {@code TransportSession.close}: checks the arguments, and once, while the session is not closed, tells the
     * dispatcher that this side closes and starts the closing handshake.
     *
     * @param dispatcher the session's dispatcher
     * @param closed completes when the session has ended
     * @param code the close code
     * @param reason the reason
     * @param handshake sends the close frame (the library's close)
     * @return a copy of {@code closed}
     * @throws IllegalArgumentException if the code or the reason cannot be sent
     */
    public static CompletableFuture<Void> close(InboundDispatcher dispatcher, CompletableFuture<Void> closed,
            int code, String reason, BiConsumer<Integer, String> handshake) {
        checkClose(code, reason);
        if (!closed.isDone()) {
            dispatcher.closeRequested();
            handshake.accept(code, reason);
        }
        return closed.copy();
    }

    /**
     * Checks the arguments of {@link io.github.demosim.spi.TransportSession#close(int, String)}: a code an endpoint
     * may send (1000–1003, 1007–1011, 3000–4999) and a reason of at most 123 UTF-8 bytes.
     *
     * @param code the close code
     * @param reason the reason
     * @throws IllegalArgumentException if either may not be sent
     */
    public static void checkClose(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        boolean sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
                || (code >= 3000 && code <= 4999);
        if (!sendable) {
            throw new IllegalArgumentException("close code " + code + " may not be sent; use 1000 (normal), 1001"
                    + " (going away), 1008 (policy), 1011 (error) or an application code 3000-4999");
        }
        int length = reason.getBytes(StandardCharsets.UTF_8).length;
        if (length > 123) {
            throw new IllegalArgumentException("close reason is " + length + " UTF-8 bytes, at most 123 fit in a"
                    + " close frame");
        }
    }

    /**
     * {@code TransportSession.abort}: the listener is told 1006 ("aborted", not remote) first, then the
     * connection is dropped, whose own report of the end (a remote close, an error) the dispatcher then ignores.
     *
     * @param dispatcher the session's dispatcher
     * @param drop drops the connection without a handshake
     */
    public static void abort(InboundDispatcher dispatcher, Runnable drop) {
        dispatcher.closeRequested();
        dispatcher.closed(InboundDispatcher.ABNORMAL_CLOSE, "aborted", false);
        drop.run();
    }

    /**
     * Runs {@code drop} if the session has not ended within {@code timeout}: a server that never answers the close
     * frame must not keep the socket. The timer forgets the session as soon as it ends.
     *
     * @param closed completes when the session has ended
     * @param timeout how long the closing handshake may take (the connect timeout)
     * @param drop what ends it anyway
     */
    public static void unlessClosedWithin(CompletableFuture<Void> closed, Duration timeout, Runnable drop) {
        Runnable cancel = TransportTimer.schedule(timeout, () -> {
            if (!closed.isDone()) {
                drop.run();
            }
        });
        closed.whenComplete((v, e) -> cancel.run());
    }

    /**
     * A send on a session that is closed or closing.
     *
     * @param uri the session's URI
     * @param cause what the library said, or {@code null}
     * @return the failure
     */
    public static TransportException notOpen(URI uri, Throwable cause) {
        return new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "Cannot send to " + uri
                + ": the connection is closed. Reconnect before sending.", cause);
    }

    /**
     * An open connection that failed.
     *
     * @param uri the session's URI
     * @param cause what the library reported
     * @return the failure
     */
    public static TransportException lost(URI uri, Throwable cause) {
        return new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "The connection to " + uri
                + " failed: " + cause + ". Reconnect; if this repeats, check the network and the server's logs.",
                cause);
    }

    /**
     * Why this side closes with 1007: a binary frame that is not UTF-8 text.
     *
     * @param uri the session's URI
     * @param cause the decoder's exception
     * @return the failure
     */
    public static TransportException binaryNotUtf8(URI uri, Throwable cause) {
        return new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "A binary frame from " + uri + " is not"
                + " valid UTF-8 text; the connection is closed with 1007. The server must send UTF-8 text in binary"
                + " frames.", cause);
    }

    /**
     * Why this side closes with 1009: a frame over {@code maxFrameBytes}.
     *
     * @param uri the session's URI
     * @param maxFrameBytes the limit
     * @return the failure
     */
    public static TransportException frameTooLarge(URI uri, int maxFrameBytes) {
        return new TransportException(ErrorCode.TRANSPORT_CONNECTION_LOST, "A frame from " + uri + " is larger than"
                + " TransportOptions.maxFrameBytes (" + maxFrameBytes + " bytes); the connection is closed with 1009."
                + " Raise maxFrameBytes if the server may send such frames.");
    }

    /**
     * Why this side closes with 1008: the JVM ran out of memory while reading.
     *
     * @param uri the session's URI
     * @param error the error
     * @return the failure
     */
    public static TransportException outOfMemory(URI uri, OutOfMemoryError error) {
        return new TransportException(ErrorCode.TRANSPORT_INBOUND_OVERFLOW, "The JVM ran out of memory (" + error
                + ") while reading from " + uri + "; the connection is closed with "
                + InboundDispatcher.POLICY_VIOLATION + ". Lower TransportOptions.inboundBufferBytes (the peers'"
                + " builders: inboundBufferBytes) or maxFrameBytes, or give the JVM more heap (-Xmx).", error);
    }
}
