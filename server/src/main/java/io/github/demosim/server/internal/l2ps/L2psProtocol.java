package io.github.demosim.server.internal.l2ps;

import io.github.demosim.CodecException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Challenge;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.RateLimits;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.json.LoneSurrogates;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.ProtocolHandler;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.spi.FrameCodec;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The L2PS messaging protocol (port 3006), as specified in l2ps.md §2–8, in reference or hardened mode: the frame
 * entry (§4.2) and dispatch. The handlers follow the reference's validation order and error texts, by concern:
 * {@link L2psRegistration}, {@link L2psSend} (with {@link L2psDelivery}), {@link L2psHistory} and
 * {@link L2psPresence}; every difference between the modes is a question to {@link L2psRules}, and listed in
 * docs/server.md.
 */
public final class L2psProtocol implements ProtocolHandler {
    private static final System.Logger LOG = System.getLogger(L2psProtocol.class.getName());

    /** The protocol label in metrics (also the connector name). */
    public static final String PROTOCOL = "l2ps";
    /** Extension names, advertised in {@code registered.features} (hardened mode only). */
    public static final String FEATURE_ACK = "ack";
    /** Pipeline status pushes. */
    public static final String FEATURE_MESSAGE_STATUS = "message_status";
    /** ML-KEM key directory. */
    public static final String FEATURE_KEY_DIRECTORY = "key_directory";
    /** Signed envelopes: the client reads them, and the key directory tells its peers so (docs/envelopes.md §6). */
    public static final String FEATURE_ENVELOPE = "envelope";

    private final L2psContext x;
    private final L2psRules rules;
    private final RateLimits rates;
    private final L2psRegistration registration;
    private final L2psSend sending;
    private final L2psHistory history;
    private final L2psPresence presence;

    /**
     * Creates the protocol.
     *
     * @param config settings
     * @param codec the JSON codec
     * @param crypto the crypto
     * @param store the store
     * @param hashes pipeline hashes
     * @param clock current time in ms
     * @param workers runs database work that follows a write
     * @param rates the rate limits
     * @param metrics what it counts
     * @param cluster the other nodes ({@link ClusterRouting#ALONE} on one process)
     */
    public L2psProtocol(ServerConfig config, FrameCodec codec, ServerCrypto crypto, MessageStore store,
            L2psHashes hashes, LongSupplier clock, Executor workers, RateLimits rates, ServerMetrics metrics,
            ClusterRouting cluster) {
        this.x = new L2psContext(config, codec, crypto, store, hashes, clock, workers, metrics, cluster);
        this.rules = x.rules;
        this.rates = rates;
        this.presence = new L2psPresence(x);
        this.registration = new L2psRegistration(x, presence, new ServerChallenges(crypto));
        this.sending = new L2psSend(x);
        this.history = new L2psHistory(x);
        L2psCluster acrossNodes = new L2psCluster(x, presence, history);
        x.deliveries.onRequeued(acrossNodes::requeued);
        x.cluster.listen(PROTOCOL, acrossNodes);
    }

    /**
     * Peers registered now.
     *
     * @return how many
     */
    public int registeredPeers() {
        return x.registry.size();
    }

    @Override
    public boolean ordered() {
        return rules.inOrder();
    }

    @Override
    public void onOpen(Connection connection) {
        RateLimits.FrameLimiter pace = rates.forConnection(connection.remoteAddress());
        // flood control: a pace, never a refusal (none where every limit is off: reference mode, or set to 0)
        connection.pace(pace == null ? null : pace.counting(() -> x.metrics.framePaced(PROTOCOL)));
        ReplySequencer<String> replies = rules.pipelinesSends() ? new ReplySequencer<>(connection::send) : null;
        connection.state(new L2psSession(pace, replies));
    }

    /** Stops presence broadcasts: the reference's {@code stop()} clears the map without {@code peer_left}. */
    public void stopping() {
        x.stop();
        x.registry.clear();
    }

    // --- frame entry (§4.2) ---------------------------------------------------------------------------

    /**
     * Beyond 262,144 bytes a binary message, and beyond three times that a text message (a UTF-16 unit takes at
     * most three UTF-8 bytes), is over the limit of §4.2 step 1 whatever it holds: its bytes are not kept.
     */
    @Override
    public long contentLimit(boolean binary) {
        return binary ? ServerConfig.L2PS_MAX_FRAME_CHARS : 3L * ServerConfig.L2PS_MAX_FRAME_CHARS;
    }

    @Override
    public void onTooLarge(Connection c) {
        tooLarge(c);
    }

    private void tooLarge(Connection c) {
        L2psSession s = c.state(L2psSession.class);
        early(c, s == null || s.replies == null ? null : s.replies.next(), "Message too large (max 262144 bytes)",
                null);
    }

    @Override
    public void onFrame(Connection c, String text, int rawLength) {
        L2psSession s = c.state(L2psSession.class);
        // Hardened: the frame's place in the reply order, taken as it is read (a send answered later keeps it).
        ReplySequencer<String>.Ticket ticket = s.replies == null ? null : s.replies.next();
        boolean deferred = false;
        try {
            deferred = frame(c, s, ticket, text, rawLength);
        } finally {
            if (ticket != null && !deferred) {
                ticket.close(); // answered, or answered by nothing
            }
        }
    }

    /** Handles a frame; whether its answer comes later (see {@link L2psRequest#defer()}). */
    private boolean frame(Connection c, L2psSession s, ReplySequencer<String>.Ticket ticket, String text,
            int rawLength) {
        if (rawLength > ServerConfig.L2PS_MAX_FRAME_CHARS) {
            early(c, ticket, "Message too large (max 262144 bytes)", null);
            return false;
        }
        JsonValue root;
        try {
            root = x.codec.parse(text);
        } catch (CodecException e) {
            early(c, ticket, "Invalid JSON", null);
            return false;
        }
        if (rules.acksAreFree() && Ack.TYPE.equals(Received.string(root, Received.TYPE)) && s.ackCredit.spend()) {
            c.refundPace(); // an acknowledgement of a message this connection was handed is free (AckCredit)
        }
        if (root instanceof JsonValue.JsonNull) {
            if (rules.answersNullFrame()) {
                early(c, ticket, "Missing or invalid type/payload", null);
            } else {
                // REF quirk (l2ps.md §4.2 step 3): the node throws outside its try block and answers nothing.
                LOG.log(System.Logger.Level.DEBUG, "{0}: JSON null frame, no answer (reference behaviour)", c);
            }
            return false;
        }
        String requestId = rules.echoesRequestId() ? Received.string(root, Received.REQUEST_ID) : null;
        if (rules.refusesLoneSurrogates() && LoneSurrogates.in(text, root)) {
            early(c, ticket, LoneSurrogates.ERROR, requestId);
            return false;
        }
        JsonValue type = Received.at(root, Received.TYPE);
        JsonValue payload = Received.at(root, Received.PAYLOAD);
        if (!(type instanceof JsonValue.JsonString t) || t.value().isEmpty() || !JsValues.isObjectLike(payload)) {
            early(c, ticket, "Missing or invalid type/payload", requestId);
            return false;
        }
        L2psRequest r = new L2psRequest(c, s, root, requestId, x.reply, ticket);
        try {
            dispatch(r, t.value());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": " + t.value() + " failed", e);
            r.error("INTERNAL_ERROR", "Internal server error");
            return false;
        }
        return r.deferred();
    }

    /** An INVALID_MESSAGE before the request is known, in its place in the reply order. */
    private void early(Connection c, ReplySequencer<String>.Ticket ticket, String message, String requestId) {
        String frame = x.reply.errorFrame("INVALID_MESSAGE", message, requestId);
        if (ticket == null) {
            c.send(frame);
        } else {
            ticket.send(frame);
        }
    }

    private void dispatch(L2psRequest r, String type) {
        switch (type) {
            case Register.TYPE -> registration.register(r);
            case Send.TYPE -> sending.send(r);
            case History.TYPE -> history.history(r);
            case Discover.TYPE -> presence.discover(r);
            case RequestPublicKey.TYPE -> presence.requestPublicKey(r);
            case Ack.TYPE -> {
                if (rules.extensions()) {
                    sending.ack(r);
                } else {
                    r.error("INVALID_MESSAGE", "Unknown type: ack");
                }
            }
            case Challenge.TYPE -> {
                if (rules.extensions()) {
                    registration.challenge(r);
                } else {
                    r.error("INVALID_MESSAGE", "Unknown type: challenge");
                }
            }
            default -> r.error("INVALID_MESSAGE", "Unknown type: " + type);
        }
    }

    // --- presence on close (§8) and pipeline pushes ----------------------------------------------------------

    @Override
    public void onClose(Connection c, int code) {
        presence.closed(c);
    }

    /**
     * Pushes {@code message_status} to online senders that asked for it (hardened mode only).
     *
     * @param changed messages whose pipeline state changed, with the new state
     */
    public void pipelineChanged(List<L2psMessageRow> changed) {
        history.pipelineChanged(changed);
        L2psCluster.routeStatus(x, changed); // senders on other nodes (docs/cluster.md)
    }
}
