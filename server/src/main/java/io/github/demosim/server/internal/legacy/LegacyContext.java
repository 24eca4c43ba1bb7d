package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.KeyedLocks;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.json.FrameText;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.spi.FrameCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the legacy handlers share: the settings and mode rules, the store, the registry of online ids, the
 * locks that order a registration against messages to its id, the offline quota, the client extensions, and how a reply is written.
 */
final class LegacyContext {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    final ServerConfig config;
    final LegacyRules rules;
    final ServerCrypto crypto;
    final MessageStore store;
    final SubmissionPolicy policy;
    final LongSupplier clock;
    final LegacyRegistry registry = new LegacyRegistry();
    final OfflineQuota quota = new OfflineQuota(ServerConfig.LEGACY_OFFLINE_LIMIT);
    final LegacyClientFeatures clientFeatures = new LegacyClientFeatures();
    final Executor workers;
    final LegacyIdOwners owners;
    final ServerMetrics metrics;
    /**
     * Orders a registration against messages routed to its id (keyed by the id as stored, {@code toJsString}), so a
     * message is either seen online or stored before the registration's drain reads the queue (§A.8).
     */
    final KeyedLocks locks = new KeyedLocks(64);
    final FrameCodec codec;
    /** The other nodes' peers, when this node is one of several (docs/cluster.md). */
    final LegacyCluster cluster;
    final LegacyDeliveries deliveries;
    private volatile boolean stopping;

    LegacyContext(ServerConfig config, ServerCrypto crypto, MessageStore store, LongSupplier clock,
            Executor workers, ServerMetrics metrics, FrameCodec codec, ClusterRouting routing) {
        this.config = config;
        this.rules = LegacyRules.of(config.hardened());
        this.crypto = crypto;
        this.store = store;
        this.policy = config.submissionPolicy();
        this.clock = clock;
        this.workers = workers;
        this.owners = new LegacyIdOwners(store, crypto, clock);
        this.metrics = metrics;
        this.codec = codec;
        this.cluster = new LegacyCluster(this, rules.sharesWithCluster() ? routing : ClusterRouting.ALONE);
        this.deliveries = new LegacyDeliveries(this);
    }

    /** Tells every peer registered here that an id left (§A.8 Disconnect: {@code peer_disconnected}). */
    void peerLeft(JsonValue id) {
        String left = FrameText.of(new PeerDisconnected(idText(id)), id(FrameEncoder.Verbatim.PEER_ID, id));
        for (LegacyRegistry.Peer p : registry.all()) {
            p.connection().send(left);
        }
    }

    /** Whether the server is shutting down: no presence broadcasts then. */
    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    static CompletableFuture<Void> send(Connection c, LegacyServerFrame frame) {
        return c.send(FrameText.of(frame));
    }

    static CompletableFuture<Void> send(Connection c, LegacyServerFrame frame, FrameEncoder.Verbatim verbatim) {
        return c.send(FrameText.of(frame, verbatim));
    }

    void error(Connection c, String errorType, String details) {
        metrics.error(LegacyProtocol.PROTOCOL, errorType);
        send(c, new ErrorFrame(errorType, details, ISO_MILLIS.format(Instant.ofEpochMilli(clock.getAsLong()))));
    }

    /**
     * A client id as the reference writes it: its JavaScript value as registered or sent (a number stays a
     * number), left out where it is {@code undefined}, as {@code JSON.stringify} does.
     */
    static FrameEncoder.Verbatim id(String path, JsonValue value) {
        return FrameEncoder.Verbatim.at(path, value == null ? FrameEncoder.Verbatim.OMIT : value);
    }

    static String idText(JsonValue value) {
        return value == null ? null : JsValues.toJsString(value);
    }
}
