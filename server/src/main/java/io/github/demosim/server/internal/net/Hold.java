package io.github.demosim.server.internal.net;

import io.github.demosim.internal.concurrent.SerialExecutor;

/**
 * A frame whose handling finishes later than its handler returns: while held, the connection reads no next
 * frame and runs no queued {@link Connection#sendAfterCurrent} push, so replies keep the order of requests
 * without a thread waiting for them. Released exactly once, by whoever completes the handling (a write
 * callback, a timer); releasing again does nothing. The protocol handlers' name for a hold of the connection's
 * {@link SerialExecutor} (the api's, which does the holding); {@link #NONE} for unordered connections.
 */
public final class Hold {
    /** A hold that holds nothing: for unordered connections, whose frames are independent anyway. */
    public static final Hold NONE = new Hold(null);

    private final SerialExecutor.Hold held;

    Hold(SerialExecutor.Hold held) {
        this.held = held;
    }

    /** Ends the hold: the connection goes on with its next frame. */
    public void release() {
        if (held != null) {
            held.release();
        }
    }

    /** Runs {@code action} on release, or now if already released (or if this holds nothing). */
    void onRelease(Runnable action) {
        if (held == null) {
            action.run();
        } else {
            held.onRelease(action);
        }
    }
}
