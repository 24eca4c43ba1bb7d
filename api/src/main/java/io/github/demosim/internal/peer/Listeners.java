package io.github.demosim.internal.peer;

import io.github.demosim.Subscription;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The listeners of one kind of event. Each event is delivered as one task on the peer's serial event
 * executor, to the listeners registered when that task runs, in registration order; a listener removed before
 * then is not called. A listener that throws is logged and the others still run.
 */
public final class Listeners<T> {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    private final CopyOnWriteArrayList<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();
    private final Executor events;

    /** @param events the serial executor listener calls run on */
    public Listeners(Executor events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Adds a listener; closing the returned subscription removes it. */
    public Subscription add(Consumer<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        // a wrapper per registration, so the same consumer added twice is removed once per close
        Consumer<T> entry = listener::accept;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Whether any listener is registered. */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Delivers {@code event} to the current listeners, asynchronously on the event executor. */
    public void dispatch(T event) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> deliverNow(event));
        } catch (RejectedExecutionException closed) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Event dropped after close: " + event);
        }
    }

    /** Delivers {@code event} to the current listeners on the calling thread, which must be the event executor's. */
    public void deliverNow(T event) {
        for (Consumer<? super T> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A demos-im listener threw on " + event
                        + "; the other listeners still run", e);
            }
        }
    }
}
