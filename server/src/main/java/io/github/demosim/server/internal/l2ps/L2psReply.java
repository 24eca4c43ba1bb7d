package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.server.internal.json.FrameText;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Writes L2PS frames from the api's records: every frame carries the server's time as {@code timestamp}, and, in
 * hardened mode, direct replies and errors carry the request's {@code requestId} (the caller passes {@code null}
 * otherwise).
 */
final class L2psReply {
    private final LongSupplier clock;
    private final ServerMetrics metrics;

    /** A reply's record, given the time it is sent at and the request id it answers. */
    @FunctionalInterface
    interface Body {
        L2psServerFrame at(long timestamp, String requestId);
    }

    L2psReply(LongSupplier clock, ServerMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Builds a frame's text. {@code requestId} may be {@code null}. */
    String frame(Body body, String requestId) {
        return frame(body, requestId, FrameEncoder.Verbatim.NONE);
    }

    /** Builds a frame's text with members relayed as received. */
    String frame(Body body, String requestId, FrameEncoder.Verbatim verbatim) {
        return FrameText.of(body.at(clock.getAsLong(), requestId), verbatim);
    }

    CompletableFuture<Void> send(Connection c, Body body, String requestId) {
        return c.send(frame(body, requestId));
    }

    CompletableFuture<Void> send(Connection c, Body body, String requestId, FrameEncoder.Verbatim verbatim) {
        return c.send(frame(body, requestId, verbatim));
    }

    CompletableFuture<Void> error(Connection c, String code, String message, String requestId) {
        return c.send(errorFrame(code, message, requestId));
    }

    /** An error frame's text, counted as sent. */
    String errorFrame(String code, String message, String requestId) {
        metrics.error(L2psProtocol.PROTOCOL, code);
        return frame((at, id) -> new ErrorFrame(code, message, at, id), requestId);
    }
}
