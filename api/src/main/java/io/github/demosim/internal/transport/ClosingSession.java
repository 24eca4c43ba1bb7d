package io.github.demosim.internal.transport;

import io.github.demosim.spi.InboundDispatcher;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportSession;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * What this project's three transport sessions have in common: the options, the dispatcher, the future that
 * completes when the session has ended, and {@code uri}, {@code close}, {@code abort} and {@code toString} as
 * {@link Closing} does them. A subclass supplies what its library does: send the close frame, drop the socket,
 * send text, say whether it is open.
 */
public abstract class ClosingSession implements TransportSession {
    /** The session's options. */
    protected final TransportOptions options;
    /** Delivers to the listener. */
    protected final InboundDispatcher dispatcher;
    /** Completes when the session has ended. */
    protected final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param options the session's options
     * @param listener the user's listener
     * @param name the transport's name, for the dispatcher's thread
     */
    protected ClosingSession(TransportOptions options, TransportListener listener, String name) {
        this.options = options;
        this.dispatcher = new InboundDispatcher(options, listener, name);
    }

    /**
     * Starts the closing handshake: sends the close frame (the arguments are checked, the dispatcher told).
     *
     * @param code the close code
     * @param reason the reason
     */
    protected abstract void startClose(int code, String reason);

    /** Drops the connection without a handshake (the listener has been told 1006). */
    protected abstract void drop();

    @Override
    public final URI uri() {
        return options.uri();
    }

    @Override
    public final CompletableFuture<Void> close(int code, String reason) {
        return Closing.close(dispatcher, closed, code, reason, this::startClose);
    }

    @Override
    public final void abort() {
        Closing.abort(dispatcher, this::drop);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + options.uri() + (isOpen() ? ", open]" : ", closed]");
    }
}
