package io.github.demosim.reliability.support;

import io.github.demosim.frame.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A protocol-naive client on the JDK's own WebSocket ({@code java.net.http}): sends whatever text or binary
 * message a test builds and records what the server answers. Reading can be paused: while paused the client
 * takes nothing from the socket, so what the server writes piles up in TCP buffers, as with a recipient that
 * stops reading.
 */
public final class RawClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;
    private volatile boolean paused;

    private RawClient(URI uri, boolean startPaused) {
        this.paused = startPaused;
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new Listener()).orTimeout(WAIT.toSeconds(),
                TimeUnit.SECONDS).join();
    }

    /** Connects and reads everything the server sends. */
    public static RawClient connect(URI uri) {
        return new RawClient(uri, false);
    }

    /** Connects without reading anything until {@link #read(int)} or {@link #resume()}. */
    public static RawClient connectPaused(URI uri) {
        return new RawClient(uri, true);
    }

    /** Sends one text message. */
    public RawClient send(String text) {
        ws.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends one JSON value as a text message. */
    public RawClient send(JsonValue frame) {
        return send(Json.write(frame));
    }

    /** Sends one binary message. */
    public RawClient sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** The next message the server sent; fails after the hang guard. */
    public JsonValue next() {
        String text = nextText(WAIT);
        if (text == null) {
            throw new AssertionError("no frame from the server within " + WAIT.toSeconds() + " s"
                    + (closeCode.isDone() ? " (closed with " + closeCode.join() + ")" : ""));
        }
        return Json.parse(text);
    }

    /** The next message of this type, skipping others (presence pushes, for instance). */
    public JsonValue next(String type) {
        while (true) {
            JsonValue f = next();
            if (type.equals(Json.type(f))) {
                return f;
            }
        }
    }

    /** The next message within {@code wait} as text, or null. */
    public String nextText(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Messages received and not yet taken. */
    public int buffered() {
        return received.size();
    }

    /** Reads {@code n} more messages from the socket while paused. */
    public void read(int n) {
        ws.request(n);
    }

    /** Starts reading everything again. */
    public void resume() {
        paused = false;
        ws.request(1);
    }

    /** The close code the server sent (or 1006 for a dropped connection), once closed. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Whether the connection ended. */
    public boolean isClosed() {
        return closeCode.isDone() || ws.isInputClosed();
    }

    /** Drops the TCP connection without a closing handshake. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").completeOnTimeout(null, 2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (!paused) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
                if (!paused) {
                    webSocket.request(1);
                }
            } else {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            text.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            return onText(webSocket, "", last);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
        }
    }
}
