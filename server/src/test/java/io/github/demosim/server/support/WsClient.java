package io.github.demosim.server.support;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw WebSocket test client on the JDK's {@code java.net.http.WebSocket}: real sockets, independent of the
 * SDK's transports. Collects every text message; the waits are hang guards, not timing assertions.
 */
public final class WsClient implements AutoCloseable {
    /** How long any single wait may take before the test fails as hung. */
    public static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final FrameCodec CODEC = CodecProvider.find().create();

    private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private WsClient(URI uri) {
        StringBuilder partial = new StringBuilder();
        ws = HTTP.newWebSocketBuilder().connectTimeout(HANG_GUARD).buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    inbox.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        }).orTimeout(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * Opens a connection.
     *
     * @param uri the server
     * @return the client
     */
    public static WsClient connect(URI uri) {
        return new WsClient(uri);
    }

    /** Sends one text message. */
    public synchronized void send(String text) {
        ws.sendText(text, true).orTimeout(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends a JSON tree as one text message. */
    public void send(JsonValue frame) {
        send(CODEC.write(frame));
    }

    /** Sends one binary message. */
    public synchronized void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The next text message, raw. */
    public String nextText() {
        try {
            String s = inbox.poll(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
            if (s == null) {
                throw new AssertionError("no frame within " + HANG_GUARD.toSeconds() + " s (hang guard)");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, parsed. */
    public JsonValue next() {
        return CODEC.parse(nextText());
    }

    /** The next message, which must have this type. */
    public JsonValue next(String type) {
        JsonValue f = next();
        if (!type.equals(Wire.type(f))) {
            throw new AssertionError("expected a " + type + " frame, got " + CODEC.write(f));
        }
        return f;
    }

    /** Skips frames until one matches; returns it. */
    public JsonValue awaitFrame(Predicate<JsonValue> matching) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        List<String> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonValue f = next();
            if (matching.test(f)) {
                return f;
            }
            skipped.add(CODEC.write(f));
        }
        throw new AssertionError("no matching frame; skipped " + skipped);
    }

    /** Skips frames until one of this type arrives; returns it. */
    public JsonValue await(String type) {
        return awaitFrame(f -> type.equals(Wire.type(f)));
    }

    /** Frames received and not yet read, without waiting. */
    public List<JsonValue> drainNow() {
        List<String> texts = new ArrayList<>();
        inbox.drainTo(texts);
        List<JsonValue> out = new ArrayList<>();
        texts.forEach(t -> out.add(CODEC.parse(t)));
        return out;
    }

    /** Whether a frame is waiting. */
    public boolean hasPending() {
        return !inbox.isEmpty();
    }

    /** Waits for the server to close the connection; returns the close code (-1 for an abnormal end). */
    public int awaitClose() {
        return closed.orTimeout(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Whether the connection has closed. */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
                closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> -1).join();
            } catch (RuntimeException e) {
                ws.abort();
            }
        }
        ws.abort();
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        ws.abort();
    }
}
