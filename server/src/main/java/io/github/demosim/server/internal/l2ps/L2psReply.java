package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.internal.json.Json;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.spi.FrameCodec;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Writes L2PS frames: {@code {type, payload, timestamp}} plus, in hardened mode, the request's
 * {@code requestId} on direct replies and errors.
 */
final class L2psReply {
    private final FrameCodec codec;
    private final LongSupplier clock;
    private final ServerMetrics metrics;

    L2psReply(FrameCodec codec, LongSupplier clock, ServerMetrics metrics) {
        this.codec = codec;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Builds a frame's text. {@code requestId} may be {@code null}. */
    String frame(String type, JsonValue payload, String requestId) {
        Json f = Json.object().put("type", type).put("payload", payload).put("timestamp", clock.getAsLong());
        if (requestId != null) {
            f.put("requestId", requestId);
        }
        return codec.write(f.build());
    }

    CompletableFuture<Void> send(Connection c, String type, JsonValue payload, String requestId) {
        return c.send(frame(type, payload, requestId));
    }

    CompletableFuture<Void> error(Connection c, String code, String message, String requestId) {
        metrics.error(L2psProtocol.PROTOCOL, code);
        return send(c, "error", Json.object().put("code", code).put("message", message).build(), requestId);
    }
}
