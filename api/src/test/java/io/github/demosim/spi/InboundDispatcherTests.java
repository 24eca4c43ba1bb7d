package io.github.demosim.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on its own, fed as a transport's I/O thread would feed it; the transport contract in
 * {@code tck} checks it again inside both real transports.
 */
class InboundDispatcherTests {
    private static final URI URI_ = URI.create("ws://127.0.0.1:1/test");

    /** Records listener calls as strings, in order. */
    private static final class Events implements TransportListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<TransportException> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final CountDownLatch gate;

        Events(boolean blocking) {
            gate = new CountDownLatch(blocking ? 1 : 0);
        }

        @Override
        public void onText(TransportSession session, String text) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            calls.add("text " + (text.length() > 20 ? text.length() + " chars" : text));
            if (text.equals("boom")) {
                throw new IllegalStateException("listener bug");
            }
            if (text.equals("oom")) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
        }

        @Override
        public void onError(TransportSession session, TransportException error) {
            errors.add(error);
            calls.add("error " + error.code());
        }

        @Override
        public void onClosed(TransportSession session, int code, String reason, boolean remote) {
            calls.add("closed " + code + " " + remote);
            closed.complete(null);
        }
    }

    /** Records what the dispatcher asked of the connection. */
    private static final class Requests implements InboundDispatcher.Connection {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void sendPing() {
            calls.add("ping");
        }

        @Override
        public void close(int code, String reason) {
            calls.add("close " + code);
        }

        @Override
        public void abort() {
            calls.add("abort");
        }
    }

    private static TransportSession session() {
        return new TransportSession() {
            @Override
            public URI uri() {
                return URI_;
            }

            @Override
            public CompletableFuture<Void> sendText(String text) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> close(int code, String reason) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void abort() {
            }

            @Override
            public boolean isOpen() {
                return true;
            }
        };
    }

    @Test
    void deliversInOrderThenExactlyOneCloseEvenIfTheListenerThrows() throws Exception {
        Events events = new Events(false);
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI_), events, "test");
        dispatcher.text("a");
        dispatcher.start(session(), new Requests());
        dispatcher.text("boom");
        dispatcher.text("b");
        dispatcher.closed(1000, "bye", true);
        dispatcher.closed(1006, "late", true);
        dispatcher.text("after close");
        events.closed.get(10, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertThat(events.calls).containsExactly("text a", "text boom", "text b", "closed 1000 true");
        assertThat(dispatcher.isTerminated()).isTrue();
    }

    @Test
    void overflowDeliversWhatFitThenTheErrorAndAsksForA1008Close() throws Exception {
        Events events = new Events(true);
        Requests requests = new Requests();
        InboundDispatcher dispatcher = new InboundDispatcher(
                TransportOptions.newBuilder(URI_).inboundBufferFrames(2).build(), events, "test");
        dispatcher.start(session(), requests);
        for (int i = 0; i < 10; i++) {
            dispatcher.text("f" + i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!requests.calls.contains("close 1008") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(requests.calls).containsExactly("close 1008");
        dispatcher.closed(1008, "inbound buffer overflow", false);
        events.gate.countDown();
        events.closed.get(10, TimeUnit.SECONDS);
        List<String> calls = events.calls;
        assertThat(calls.subList(calls.size() - 2, calls.size()))
                .containsExactly("error TRANSPORT_INBOUND_OVERFLOW", "closed 1008 false");
        List<String> texts = calls.subList(0, calls.size() - 2);
        assertThat(texts).isIn(List.of("text f0", "text f1"), List.of("text f0", "text f1", "text f2"));
        assertThat(events.errors.get(0).getMessage()).contains(URI_.toString()).contains("inboundBufferFrames");
    }

    @Test
    void aSilentPeerIsPingedThenDeclaredDead() throws Exception {
        Events events = new Events(false);
        Requests requests = new Requests();
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.newBuilder(URI_)
                .pingInterval(Duration.ofMillis(20)).idleTimeout(Duration.ofMillis(200)).build(), events, "test");
        dispatcher.start(session(), requests);
        events.closed.get(10, TimeUnit.SECONDS);
        assertThat(events.calls).containsExactly("error TRANSPORT_IDLE_TIMEOUT", "closed 1006 true");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!requests.calls.contains("abort") && System.nanoTime() < deadline) {
            Thread.sleep(10); // the close is reported first, then the connection aborted
        }
        assertThat(requests.calls).contains("ping").endsWith("abort");
    }

    @Test
    void anUnexplainedLossIsReportedAsConnectionLost() throws Exception {
        Events events = new Events(false);
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI_), events, "test");
        dispatcher.start(session(), new Requests());
        dispatcher.closed(1006, "", true);
        events.closed.get(10, TimeUnit.SECONDS);
        assertThat(events.calls).containsExactly("error TRANSPORT_CONNECTION_LOST", "closed 1006 true");
        assertThat(events.errors.get(0).code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
    }

    @Test
    void aRequestedCloseIsNoError() throws Exception {
        Events events = new Events(false);
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI_), events, "test");
        dispatcher.start(session(), new Requests());
        dispatcher.closeRequested();
        dispatcher.closed(4000, "mine", false);
        events.closed.get(10, TimeUnit.SECONDS);
        assertThat(events.calls).containsExactly("closed 4000 false");
    }

    @Test
    void aDiscardedAttemptNeverCallsTheListener() throws Exception {
        Events events = new Events(false);
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI_), events, "test");
        dispatcher.text("early");
        dispatcher.discard();
        dispatcher.closed(1006, "", true);
        assertThatThrownBy(() -> dispatcher.start(session(), new Requests()))
                .isInstanceOf(IllegalStateException.class);
        Thread.sleep(50);
        assertThat(events.calls).isEmpty();
    }

    /** Polls until the dispatcher asked for {@code call}; a hang guard, not a timing assertion. */
    private static void awaitRequest(Requests requests, String call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!requests.calls.contains(call) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Issue 14 item 9: the buffer is bounded in bytes too, not only in frames (20 KB frames filled a 256 MB heap). */
    @Test
    void theByteBoundOverflowsBeforeTheFrameBound() throws Exception {
        Events events = new Events(true);
        Requests requests = new Requests();
        InboundDispatcher dispatcher = new InboundDispatcher(
                TransportOptions.newBuilder(URI_).inboundBufferBytes(100_000).build(), events, "test");
        dispatcher.start(session(), requests);
        String frame = "x".repeat(10_000); // counts 20,064 bytes: four fit in 100,000
        for (int i = 0; i < 50; i++) {
            dispatcher.text(frame);
        }
        awaitRequest(requests, "close 1008");
        assertThat(requests.calls).containsExactly("close 1008");
        dispatcher.closed(1008, "inbound buffer overflow", false);
        events.gate.countDown();
        events.closed.get(10, TimeUnit.SECONDS);
        List<String> calls = events.calls;
        assertThat(calls.subList(calls.size() - 2, calls.size()))
                .containsExactly("error TRANSPORT_INBOUND_OVERFLOW", "closed 1008 false");
        // four buffered, plus the one the listener may already have taken when the others arrived
        assertThat(calls.subList(0, calls.size() - 2)).hasSizeBetween(4, 5).containsOnly("text 10000 chars");
        assertThat(events.errors.get(0).getMessage()).contains("inboundBufferBytes 100000")
                .contains("raise TransportOptions.inboundBufferBytes");
    }

    @Test
    void aFrameAloneAlwaysFitsWhateverItsSize() throws Exception {
        Events events = new Events(false);
        Requests requests = new Requests();
        InboundDispatcher dispatcher = new InboundDispatcher(
                TransportOptions.newBuilder(URI_).inboundBufferBytes(1024).build(), events, "test");
        dispatcher.start(session(), requests);
        dispatcher.text("y".repeat(100_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        dispatcher.closed(1000, "", true);
        events.closed.get(10, TimeUnit.SECONDS);
        assertThat(events.calls).containsExactly("text 100000 chars", "closed 1000 true");
        assertThat(requests.calls).isEmpty();
    }

    /**
     * Issue 14 item 9: an OutOfMemoryError in the listener thread killed it silently (no report, no close, no
     * onClosed). Now it is reported as IM-TRANSPORT-003, the frames still buffered are dropped, the connection is
     * closed with 1008, and onClosed still comes last.
     */
    @Test
    void anOutOfMemoryErrorInTheListenerIsReportedAndClosesTheConnection() throws Exception {
        Events events = new Events(true);
        Requests requests = new Requests();
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI_), events, "test");
        dispatcher.start(session(), requests);
        dispatcher.text("a");
        dispatcher.text("oom");
        dispatcher.text("buffered behind");
        events.gate.countDown();
        awaitRequest(requests, "close 1008");
        dispatcher.text("after");
        dispatcher.closed(1008, "out of memory", false);
        events.closed.get(10, TimeUnit.SECONDS);
        assertThat(events.calls).containsExactly("text a", "text oom", "error TRANSPORT_INBOUND_OVERFLOW",
                "closed 1008 false");
        assertThat(events.errors.get(0).getMessage()).contains("ran out of memory").contains("1008");
        assertThat(events.errors.get(0).getCause()).isInstanceOf(OutOfMemoryError.class);
        assertThat(requests.calls).containsExactly("close 1008");
    }
}
