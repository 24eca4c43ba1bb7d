package io.github.demosim.tck.transport;

import io.github.demosim.TransportException;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener that records every call and checks the listener contract as it goes: calls never overlap, never
 * run on the thread that connected, and nothing follows the single {@code onClosed}. Optionally blocks in
 * {@code onText} until {@link #release()}, to play a slow listener.
 */
public final class RecordingListener implements TransportListener {

    /** How a connection ended. */
    public record Closing(int code, String reason, boolean remote) {
    }

    private final Thread connectingThread = Thread.currentThread();
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private final CompletableFuture<TransportException> error = new CompletableFuture<>();
    private final CompletableFuture<Closing> closed = new CompletableFuture<>();
    private final CountDownLatch gate;
    private boolean inCall;
    private int closedCalls;
    private int errorCalls;

    private RecordingListener(boolean blocking) {
        this.gate = new CountDownLatch(blocking ? 1 : 0);
    }

    /**
     * Creates a listener that records without delay.
     *
     * @return the listener
     */
    public static RecordingListener recording() {
        return new RecordingListener(false);
    }

    /**
     * Creates a listener whose {@code onText} blocks until {@link #release()}.
     *
     * @return the listener
     */
    public static RecordingListener blocking() {
        return new RecordingListener(true);
    }

    /** Lets a {@link #blocking()} listener go on. */
    public void release() {
        gate.countDown();
    }

    private synchronized void enter(String what) {
        if (inCall) {
            violations.add("overlapping call: " + what);
        }
        if (Thread.currentThread() == connectingThread) {
            violations.add(what + " on the thread that connected");
        }
        if (closedCalls > 0) {
            violations.add(what + " after onClosed");
        }
        inCall = true;
        String name = Thread.currentThread().getName();
        if (!threads.contains(name)) {
            threads.add(name);
        }
    }

    private synchronized void leave() {
        inCall = false;
    }

    @Override
    public void onText(TransportSession session, String text) {
        enter("onText");
        try {
            gate.await();
            texts.add(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leave();
        }
    }

    @Override
    public void onError(TransportSession session, TransportException failure) {
        enter("onError");
        synchronized (this) {
            errorCalls++;
        }
        error.complete(failure);
        leave();
    }

    @Override
    public void onClosed(TransportSession session, int code, String reason, boolean remote) {
        enter("onClosed");
        synchronized (this) {
            closedCalls++;
        }
        leave();
        closed.complete(new Closing(code, reason, remote));
    }

    /**
     * Takes the next received text, waiting up to 30 s.
     *
     * @return the text
     * @throws InterruptedException if interrupted
     */
    public String nextText() throws InterruptedException {
        return nextText(java.time.Duration.ofSeconds(30));
    }

    /**
     * Takes the next text frame, waiting up to the given time (for frames that take long to move, such as 16 MiB
     * ones on a loaded machine).
     *
     * @param within how long to wait
     * @return the frame
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError if none arrived in time
     */
    public String nextText(java.time.Duration within) throws InterruptedException {
        String text = texts.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no text frame arrived within " + within.toSeconds() + " s");
        }
        return text;
    }

    /**
     * Returns the texts received and not yet taken.
     *
     * @return a live queue
     */
    public BlockingQueue<String> texts() {
        return texts;
    }

    /**
     * Returns the first error, when it comes.
     *
     * @return the error
     */
    public CompletableFuture<TransportException> error() {
        return error;
    }

    /**
     * Returns how the connection ended, when it does.
     *
     * @return the closing
     */
    public CompletableFuture<Closing> closed() {
        return closed;
    }

    /**
     * Returns the names of the threads the listener was called on.
     *
     * @return the names, in order of first use
     */
    public synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    /**
     * Returns every breach of the listener contract seen so far, plus a count problem if {@code onClosed} came
     * more than once or {@code onError} more than once.
     *
     * @return the breaches; empty if none
     */
    public synchronized List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        if (closedCalls > 1) {
            all.add("onClosed called " + closedCalls + " times");
        }
        if (errorCalls > 1) {
            all.add("onError called " + errorCalls + " times");
        }
        return all;
    }
}
