package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.net.Connection;
import java.util.concurrent.CompletableFuture;

/** One inbound L2PS request, its members as received, and how to answer it. */
final class L2psRequest {
    final Connection connection;
    final L2psSession session;
    final JsonValue root;
    final String requestId;
    private final L2psReply reply;

    L2psRequest(Connection connection, L2psSession session, JsonValue root, String requestId, L2psReply reply) {
        this.connection = connection;
        this.session = session;
        this.root = root;
        this.requestId = requestId;
        this.reply = reply;
    }

    /** A member as received ({@link Received}'s paths), {@code null} where JavaScript reads undefined. */
    JsonValue get(String path) {
        return Received.at(root, path);
    }

    JsonValue timestamp() {
        return get(Received.TIMESTAMP);
    }

    CompletableFuture<Void> reply(L2psReply.Body body) {
        return reply.send(connection, body, requestId);
    }

    CompletableFuture<Void> reply(L2psReply.Body body, FrameEncoder.Verbatim verbatim) {
        return reply.send(connection, body, requestId, verbatim);
    }

    void error(String code, String message) {
        reply.error(connection, code, message, requestId);
    }
}
