package io.github.demosim.transport.jdk;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The frames a session sends, in call order. {@link WebSocket} accepts one text (or binary) send at a time and
 * fails a second one while the first is pending, so sends from any thread are queued here and handed to the
 * socket one after the other: the next as soon as the previous completes, usually at once, on the sending thread
 * (the JDK writes on the caller's thread while the socket takes the bytes). The close frame goes last, behind
 * the frames sent before it.
 *
 * <p>The queue holds what the socket has not taken yet; like the other transports' write queues it is bounded
 * by what the caller sends, not by the server (the peers bound their own requests).
 */
final class Outbound {
    /** A frame waiting for the socket: text, or a close frame when {@code text} is {@code null}. */
    private record Frame(String text, int code, String reason, CompletableFuture<Void> done) {
    }

    private final Function<Throwable, RuntimeException> closedError;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private WebSocket socket;
    /** A frame is with the socket, or the pump is running. */
    private boolean busy;
    /** Once set, every send fails with it. */
    private RuntimeException failure;

    /** @param closedError the error a send gets once the connection is gone, given the cause (or null) */
    Outbound(Function<Throwable, RuntimeException> closedError) {
        this.closedError = closedError;
    }

    /** The socket is open: frames go out from now on. */
    void open(WebSocket ws) {
        synchronized (queue) {
            socket = ws;
            if (busy || queue.isEmpty()) {
                return;
            }
            busy = true;
        }
        pump();
    }

    CompletableFuture<Void> text(String text) {
        return add(new Frame(text, 0, null, new CompletableFuture<>()));
    }

    void close(int code, String reason) {
        add(new Frame(null, code, reason, new CompletableFuture<>()));
    }

    /** The connection is gone: what is queued fails, and so does every later send. */
    void fail(RuntimeException error) {
        Frame[] dropped;
        synchronized (queue) {
            if (failure == null) {
                failure = error;
            }
            dropped = queue.toArray(Frame[]::new);
            queue.clear();
        }
        for (Frame f : dropped) {
            f.done().completeExceptionally(error);
        }
    }

    private CompletableFuture<Void> add(Frame frame) {
        synchronized (queue) {
            if (failure != null) {
                frame.done().completeExceptionally(failure);
                return frame.done();
            }
            queue.add(frame);
            if (busy || socket == null) {
                return frame.done();
            }
            busy = true;
        }
        pump();
        return frame.done();
    }

    /** Hands queued frames to the socket until one is pending or none is left; never recurses per frame. */
    private void pump() {
        while (true) {
            Frame next;
            WebSocket ws;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    busy = false;
                    return;
                }
                ws = socket;
            }
            CompletableFuture<WebSocket> sending = send(ws, next);
            if (sending.isDone()) {
                settle(next, sending);
                continue;
            }
            sending.whenComplete((w, e) -> {
                settle(next, sending);
                pump();
            });
            return;
        }
    }

    private static CompletableFuture<WebSocket> send(WebSocket ws, Frame frame) {
        try {
            return frame.text() != null ? ws.sendText(frame.text(), true) : ws.sendClose(frame.code(), frame.reason());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void settle(Frame frame, CompletableFuture<WebSocket> sending) {
        if (!sending.isCompletedExceptionally()) {
            frame.done().complete(null);
            return;
        }
        Throwable cause;
        try {
            sending.join();
            cause = null;
        } catch (RuntimeException e) {
            cause = e.getCause() != null ? e.getCause() : e;
        }
        RuntimeException error = closedError.apply(cause);
        frame.done().completeExceptionally(error);
        if (frame.text() != null) {
            fail(error); // the socket is broken: what is queued behind cannot go out either
        }
    }
}
