package io.github.demosim.server.internal.legacy;

import io.github.demosim.CodecException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.SendMessage;
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
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.spi.FrameCodec;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The legacy signaling protocol (port 3005), as specified in legacy-and-crypto.md §A, in reference or hardened
 * mode: the frame entry (§A.6) and dispatch. The handlers are {@link LegacyRegistration}, {@link LegacyMessaging}
 * and {@link LegacyPresence}; every difference between the modes (hardened: the registration proof must sign
 * exactly the registered ML-KEM-768 key of 1184 bytes, a bad register frame stops at its first error, a client id is
 * claimed atomically, frames of one connection are handled in order, a message is at most 1 MiB, and strings with
 * unpaired surrogates are refused) is a question to {@link LegacyRules}.
 */
public final class LegacyProtocol implements ProtocolHandler {
    /** The protocol label in metrics (also the connector name). */
    public static final String PROTOCOL = "legacy";
    private static final System.Logger LOG = System.getLogger(LegacyProtocol.class.getName());

    private final LegacyContext x;
    private final FrameCodec codec;
    private final RateLimits rates;
    private final LegacyRegistration registration;
    private final LegacyMessaging messaging;
    private final LegacyPresence presence;

    /**
     * Creates the protocol.
     *
     * @param config settings
     * @param codec JSON codec
     * @param crypto crypto
     * @param store store
     * @param clock current time in ms
     * @param nodeSeed the node's Ed25519 seed, which signs stored offline messages as the reference's node does
     * @param workers runs the database work of the offline drain between pages
     * @param rates the rate limits
     * @param metrics what it counts
     * @param cluster the other nodes ({@link ClusterRouting#ALONE} on a single process)
     */
    public LegacyProtocol(ServerConfig config, FrameCodec codec, ServerCrypto crypto, MessageStore store,
            LongSupplier clock, byte[] nodeSeed, Executor workers, RateLimits rates,
            ServerMetrics metrics, ClusterRouting cluster) {
        this.x = new LegacyContext(config, crypto, store, clock, workers, metrics, codec, cluster);
        this.codec = codec;
        this.rates = rates;
        this.registration = new LegacyRegistration(x);
        this.messaging = new LegacyMessaging(x, nodeSeed);
        this.presence = new LegacyPresence(x);
        if (x.rules.sharesWithCluster()) {
            cluster.listen(PROTOCOL, x.cluster);
        }
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
        return x.rules.inOrder();
    }

    @Override
    public void onOpen(Connection connection) {
        RateLimits.FrameLimiter pace = rates.forConnection(connection.remoteAddress());
        // flood control: a pace, never a refusal (none where every limit is off: reference mode, or set to 0)
        connection.pace(pace == null ? null : pace.counting(() -> x.metrics.framePaced(PROTOCOL)));
        connection.state(pace); // told the client id when it registers
    }

    @Override
    public long contentLimit(boolean binary) {
        return x.rules.contentLimit();
    }

    @Override
    public void onTooLarge(Connection c) {
        x.error(c, "INVALID_MESSAGE", "Message too large (max " + ServerConfig.HARDENED_LEGACY_MAX_MESSAGE_BYTES
                + " bytes)");
    }

    /** Stops presence broadcasts for the shutdown. */
    public void stopping() {
        x.stop();
        x.registry.clear();
    }

    // --- frame entry (§A.6) -----------------------------------------------------------------------------

    @Override
    public void onFrame(Connection c, String text, int rawLength) {
        JsonValue root;
        try {
            root = codec.parse(text);
        } catch (CodecException e) {
            // REF: the parse exception's text, as INTERNAL_ERROR (not INVALID_MESSAGE).
            x.error(c, "INTERNAL_ERROR", "JSON Parse error: Unable to parse JSON string");
            return;
        }
        if (root instanceof JsonValue.JsonNull) {
            x.error(c, "INTERNAL_ERROR", "null is not an object (evaluating 'data.type')");
            return;
        }
        if (x.rules.refusesLoneSurrogates() && LoneSurrogates.in(text, root)) {
            x.error(c, "INVALID_MESSAGE", LoneSurrogates.ERROR);
            return;
        }
        JsonValue type = Received.at(root, Received.TYPE);
        JsonValue payload = Received.at(root, Received.PAYLOAD);
        if (!JsValues.truthy(type) || !JsValues.truthy(payload)) {
            x.error(c, "INVALID_MESSAGE", "Invalid message format");
            return;
        }
        String name = type.asString().orElse("");
        try {
            switch (name) {
                case Register.TYPE -> registration.register(c, root);
                case Discover.TYPE -> presence.discover(c);
                case SendMessage.TYPE -> messaging.message(c, root);
                case RequestPublicKey.TYPE -> presence.requestPublicKey(c, root);
                case DebugQuestion.TYPE -> presence.debugQuestion(c);
                default -> x.error(c, "INVALID_MESSAGE", "Unknown message type: " + JsValues.toJsString(type));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, c + ": " + name + " failed", e);
            x.error(c, "INTERNAL_ERROR", String.valueOf(e.getMessage()));
        }
    }

    // --- close (§A.8 Disconnect) -----------------------------------------------------------------------------

    @Override
    public void onClose(Connection c, int code) {
        presence.closed(c);
    }
}
