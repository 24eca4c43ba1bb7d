package io.github.demosim.server.internal.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A frame whose handling finishes later than its handler returns: while held, the connection reads no next
 * frame and runs no queued {@link Connection#sendAfterCurrent} push, so replies keep the order of requests
 * without a thread waiting for them. Released exactly once, by whoever completes the handling (a write
 * callback, a timer); releasing again does nothing.
 */
public final class Hold {
    /** A hold that holds nothing: for unordered connections, whose frames are independent anyway. */
    static final Hold NONE = new Hold();

    private final List<Runnable> onRelease = new ArrayList<>();
    private boolean released;

    Hold() {
    }

    /** Ends the hold: the connection goes on with its next frame. */
    public void release() {
        List<Runnable> actions;
        synchronized (this) {
            if (released || this == NONE) {
                return;
            }
            released = true;
            actions = List.copyOf(onRelease);
            onRelease.clear();
        }
        actions.forEach(Runnable::run);
    }

    /** Runs {@code action} on release, or now if already released. */
    void onRelease(Runnable action) {
        synchronized (this) {
            if (!released && this != NONE) {
                onRelease.add(action);
                return;
            }
        }
        action.run();
    }
}
