package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.net.Connection;
import java.util.concurrent.CompletableFuture;

/**
 * One inbound L2PS request, its members as received, and how to answer it: in hardened mode through its place in
 * the connection's reply order ({@link ReplySequencer}), otherwise straight to the connection.
 */
final class L2psRequest {
    final Connection connection;
    final L2psSession session;
    final JsonValue root;
    final String requestId;
    private final L2psReply reply;
    /** Its place in the connection's reply order, or {@code null} (reference mode: replies go out when given). */
    private final ReplySequencer<String>.Ticket ticket;
    private volatile boolean deferred;

    L2psRequest(Connection connection, L2psSession session, JsonValue root, String requestId, L2psReply reply,
            ReplySequencer<String>.Ticket ticket) {
        this.connection = connection;
        this.session = session;
        this.root = root;
        this.requestId = requestId;
        this.reply = reply;
        this.ticket = ticket;
    }

    /** A member as received ({@link Received}'s paths), {@code null} where JavaScript reads undefined. */
    JsonValue get(String path) {
        return Received.at(root, path);
    }

    JsonValue timestamp() {
        return get(Received.TIMESTAMP);
    }

    CompletableFuture<Void> reply(L2psReply.Body body) {
        return reply(body, FrameEncoder.Verbatim.NONE);
    }

    CompletableFuture<Void> reply(L2psReply.Body body, FrameEncoder.Verbatim verbatim) {
        String frame = reply.frame(body, requestId, verbatim);
        return ticket == null ? connection.send(frame) : ticket.send(frame);
    }

    void error(String code, String message) {
        String frame = reply.errorFrame(code, message, requestId);
        if (ticket == null) {
            connection.send(frame);
        } else {
            ticket.send(frame);
        }
    }

    /**
     * Says that the answer comes after the handler returns (from a commit's completion); otherwise a request the
     * handler did not answer is taken as answered by nothing when it returns.
     */
    void defer() {
        deferred = true;
    }

    boolean deferred() {
        return deferred;
    }

    /** Completes once this request's answer was handed to the connection, after every earlier request's. */
    CompletableFuture<Void> passed() {
        return ticket == null ? CompletableFuture.completedFuture(null) : ticket.passed();
    }
}
