package io.github.demosim.server.internal;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.internal.admin.AdminServer;
import io.github.demosim.server.internal.cluster.AdvisoryLockLeadership;
import io.github.demosim.server.internal.cluster.ClusterDatabase;
import io.github.demosim.server.internal.cluster.ClusterRouting;
import io.github.demosim.server.internal.cluster.NodeRouting;
import io.github.demosim.server.internal.l2ps.L2psProtocol;
import io.github.demosim.server.internal.legacy.LegacyProtocol;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.metrics.TimedMessageStore;
import io.github.demosim.server.internal.net.OutgoingBudget;
import io.github.demosim.server.internal.net.WebSocketHost;
import io.github.demosim.server.internal.pipeline.L2psHashes;
import io.github.demosim.server.internal.pipeline.L2psPipeline;
import io.github.demosim.server.internal.pipeline.Leadership;
import io.github.demosim.server.ServerLimits;
import io.github.demosim.server.internal.store.DatabaseUrls;
import io.github.demosim.server.internal.store.JdbcMessageStore;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.StoreException;
import io.github.demosim.server.internal.tls.TlsEndpoint;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** A started server: the parts and their lifecycle, in dependency order. */
public final class ServerRuntime {
    private static final System.Logger LOG = System.getLogger(ServerRuntime.class.getName());
    private static final String L2PS = L2psProtocol.PROTOCOL;
    private static final String LEGACY = LegacyProtocol.PROTOCOL;

    private final ServerConfig config;
    /**
     * Whether message inserts and acknowledgements share commits (group commit). The A/B of docs/performance.md
     * ("Group commit A/B") has it ahead on both databases: on H2, whose commits serialise anyway and each rewrites
     * a chunk, by 2× at saturation; on PostgreSQL (fsync on) at saturation and at 1,000 msg/s, where one commit per
     * write fell behind. The system property {@code demos.im.store.groupCommit=false} turns it off, for that A/B.
     */
    static boolean groupCommit(String databaseUrl) {
        return !"false".equals(System.getProperty("demos.im.store.groupCommit"));
    }

    /** The system property that sets how many store writer threads group the commits (the A/B of writers). */
    static final String WRITERS_PROPERTY = "demos.im.store.writers";
    /**
     * Store writers on PostgreSQL unless set. Two runs of {@code SERVER_AB_WRITERS="2 4" bench/compare-ts.sh --only
     * server-ab} on a busy 2-core machine (provisional): 2 writers delivered as much as one or up to 1.8× more, with
     * lower ack latencies, and 4 writers less than either (smaller batches, more commits and CPU per message).
     */
    static final int POSTGRES_WRITERS = 2;
    static final int MAX_WRITERS = 32;
    /** Database connections for reads beside the writers: the pool of 4 of one writer, as measured. */
    private static final int READ_CONNECTIONS = 3;

    /**
     * How many writer threads group the commits: 0 without group commit; else {@code demos.im.store.writers}, by
     * default 1 on H2 (one file whose commits serialise: nothing to overlap) and {@link #POSTGRES_WRITERS} on
     * PostgreSQL, where each commit waits for its WAL flush and one writer's flush stalls every connection, while
     * writers each grouping overlap theirs (docs/performance.md, "Group commit A/B").
     *
     * @throws ImException if the property is not a whole number from 1 to {@link #MAX_WRITERS}
     */
    static int storeWriters(String databaseUrl) {
        if (!groupCommit(databaseUrl)) {
            return 0;
        }
        String set = System.getProperty(WRITERS_PROPERTY);
        if (set == null || set.isBlank()) {
            return ClusterDatabase.isPostgres(databaseUrl) ? POSTGRES_WRITERS : 1;
        }
        try {
            int writers = Integer.parseInt(set.strip());
            if (writers >= 1 && writers <= MAX_WRITERS) {
                return writers;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ImException(ErrorCode.SERVER_START_FAILED, "-D" + WRITERS_PROPERTY + " must be a whole number of "
                + "store writer threads from 1 to " + MAX_WRITERS + ", not \"" + set + "\"");
    }

    private final MessageStore store;
    private final ExecutorService workers;
    private final ScheduledExecutorService maintenance;
    private final ScheduledExecutorService timers;
    private final L2psPipeline pipeline;
    private final L2psProtocol l2ps;
    private final LegacyProtocol legacy;
    private final WebSocketHost host;
    private final AdminServer admin;
    private final TlsEndpoint tls;
    private final ClusterRouting cluster;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private volatile StoreHealth health;

    private ServerRuntime(ServerConfig config, MessageStore store, ExecutorService workers,
            ScheduledExecutorService maintenance, ScheduledExecutorService timers, L2psPipeline pipeline,
            L2psProtocol l2ps, LegacyProtocol legacy, WebSocketHost host, AdminServer admin, TlsEndpoint tls,
            ClusterRouting cluster) {
        this.config = config;
        this.cluster = cluster;
        this.admin = admin;
        this.tls = tls;
        this.store = store;
        this.workers = workers;
        this.maintenance = maintenance;
        this.timers = timers;
        this.pipeline = pipeline;
        this.l2ps = l2ps;
        this.legacy = legacy;
        this.host = host;
    }

    /**
     * Starts a server without admin port or TLS.
     *
     * @param config the settings
     * @return the running server
     * @throws ImException if it cannot start; everything started so far is stopped again
     */
    public static ServerRuntime start(ServerConfig config) {
        return start(config, Operations.NONE);
    }

    /**
     * Starts a server.
     *
     * @param config the settings
     * @param ops the admin port and TLS
     * @return the running server
     * @throws ImException if it cannot start; everything started so far is stopped again
     */
    public static ServerRuntime start(ServerConfig config, Operations ops) {
        LongSupplier clock = System::currentTimeMillis;
        FrameCodec codec;
        ServerCrypto crypto;
        try {
            codec = CodecProvider.find().create();
            crypto = ProviderCrypto.load();
        } catch (ImException e) {
            throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server needs a JSON codec and a "
                    + "crypto provider: " + e.getMessage(), e);
        }
        int writers = storeWriters(config.databaseUrl()); // before anything is started: a bad setting stops nothing
        AdminServer admin = null;
        ServerMetrics metrics = ServerMetrics.NONE;
        TlsEndpoint tls = null;
        try {
            if (ops.adminPort() >= 0) {
                admin = AdminServer.create(ops.adminHost(), ops.adminPort(), config.databaseUrl(),
                        config.databaseUser(), config.databasePassword());
                metrics = admin.metrics();
            }
            if (ops.tls() != null) {
                tls = new TlsEndpoint(ops.tls());
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not start: "
                    + e.getMessage(), e);
        }
        MessageStore store;
        try {
            SingleProcessDatabase.check(config.databaseUrl());
            JdbcMessageStore jdbc = JdbcMessageStore.open(DatabaseUrls.durable(config.databaseUrl()),
                    config.databaseUser(), config.databasePassword(), READ_CONNECTIONS + Math.max(1, writers),
                    writers, config.storeCommitDelay());
            jdbc.reserveDisk(config.limits().diskReserveBytes());
            store = TimedMessageStore.wrap(jdbc, metrics);
        } catch (StoreException | IllegalArgumentException e) {
            closeAll(tls, admin, null);
            if (SingleProcessDatabase.inUse(e)) {
                throw new ImException(ErrorCode.SERVER_START_FAILED, SingleProcessDatabase.inUseMessage(
                        config.databaseUrl()), e);
            }
            throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not open its database: "
                    + e.getMessage() + ". Check the JDBC URL, that the database is reachable and writable, and its "
                    + "credentials.", e);
        }
        // On PostgreSQL every server process is a cluster node (docs/cluster.md): a lease, notices, and the L2PS
        // pipeline run by one node at a time.
        ClusterRouting cluster = ClusterRouting.ALONE;
        Leadership leadership = Leadership.ALONE;
        if (ClusterDatabase.isPostgres(config.databaseUrl())) {
            ClusterDatabase db = new ClusterDatabase(config.databaseUrl(), config.databaseUser(),
                    config.databasePassword());
            try {
                cluster = joinCluster(db, describeNode(config));
            } catch (SQLException e) {
                closeAll(tls, admin, store);
                throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not join the cluster "
                        + "on its PostgreSQL database (writing its lease in cluster_nodes failed: " + e.getMessage()
                        + "). Check that the database user may write there.", e);
            } catch (IllegalArgumentException e) {
                closeAll(tls, admin, store);
                throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not join the cluster: "
                        + e.getMessage(), e);
            }
            leadership = new AdvisoryLockLeadership(db, PIPELINE_LOCK, "L2PS pipeline");
        }
        ServerLimits limits = config.limits();
        ExecutorService workers = Executors.newFixedThreadPool(config.workerThreads(), daemon("demos-im-worker"));
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(daemon("demos-im-maintenance"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("demos-im-timer"));
        timers.setRemoveOnCancelPolicy(true); // registration deadlines are cancelled by the thousand
        RateLimits rates = new RateLimits(config);
        L2psHashes hashes = new L2psHashes(crypto::sha256);
        L2psProtocol l2ps = new L2psProtocol(config, codec, crypto, store, hashes, clock, workers, rates,
                metrics, cluster);
        LegacyProtocol legacy = new LegacyProtocol(config, codec, crypto, store, clock, crypto.randomBytes(32), workers,
                rates, metrics, cluster);
        L2psPipeline pipeline = new L2psPipeline(store, hashes, config.submissionPolicy(), config.batchSize(),
                config.batchInterval(), config.finalityDelay(), clock, l2ps::pipelineChanged, leadership);
        List<WebSocketHost.PortSpec> listeners = new ArrayList<>();
        if (config.l2psPort() >= 0) {
            listeners.add(new WebSocketHost.PortSpec(L2PS, config.l2psPort(), l2ps, 426, "WebSocket upgrade required"));
        }
        if (config.legacyPort() >= 0) {
            listeners.add(new WebSocketHost.PortSpec(LEGACY, config.legacyPort(), legacy, 500, "Upgrade failed"));
        }
        WebSocketHost host = new WebSocketHost(config.host(), listeners, workers, timers, new WebSocketHost.Limits(
                config.idleTimeout(), ServerConfig.TRANSPORT_MAX_MESSAGE_BYTES, limits.maxConnections(),
                limits.maxConnectionsPerAddress(), limits.handshakeTimeout(), limits.registrationTimeout(),
                new OutgoingBudget(limits.outgoingBytesPerConnection(), limits.outgoingBytesTotal())),
                tls == null ? null : tls.factory());
        ServerRuntime runtime = new ServerRuntime(config, store, workers, maintenance, timers, pipeline, l2ps, legacy,
                host, admin, tls, cluster);
        runtime.health = new StoreHealth(store, maintenance, config.databaseRecovery(), runtime::failed);
        store.onFatal(runtime.health::broken);
        try {
            host.start();
        } catch (Exception e) {
            runtime.stop();
            String cause = e instanceof IOException ? e.getMessage() : e.toString();
            throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not listen on "
                    + config.host() + " (L2PS port " + config.l2psPort() + ", legacy port " + config.legacyPort()
                    + "): " + cause + ". Choose free ports, or 0 for ephemeral ones.", e);
        }
        if (admin != null) {
            List<String> served = listeners.stream().map(WebSocketHost.PortSpec::name).toList();
            try {
                admin.start(new AdminServer.Sources(served, host::connectionCount,
                        p -> p.equals(L2PS) ? l2ps.registeredPeers() : legacy.registeredPeers(),
                        () -> served.stream().allMatch(p -> host.port(p) > 0), store::fileBytes));
            } catch (Exception e) {
                runtime.stop();
                String cause = e instanceof IOException ? e.getMessage() : e.toString();
                throw new ImException(ErrorCode.SERVER_START_FAILED, "The demos-im server could not listen on its"
                        + " admin port " + ops.adminHost() + ":" + ops.adminPort() + ": " + cause
                        + ". Choose a free port, or 0 for an ephemeral one.", e);
            }
        }
        pipeline.start();
        if (config.hardened()) {
            maintenance.scheduleWithFixedDelay(() -> {
                try {
                    store.purgeExpiredProofs(clock.getAsLong());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not purge used proofs", e);
                }
            }, 1, 1, TimeUnit.MINUTES);
        }
        // DEBUG, not INFO: an embedded server is part of someone's application and keeps quiet unless asked.
        // Numbers go in as text: MessageFormat would print port 3006 as "3,006".
        LOG.log(System.Logger.Level.DEBUG, "demos-im server started ({0}): L2PS port {1}, legacy port {2}",
                config.mode(), String.valueOf(runtime.l2psPort()), String.valueOf(runtime.legacyPort()));
        return runtime;
    }

    /** The L2PS pipeline's advisory lock key: "demosim" in ASCII, then 1 for the pipeline. */
    private static final long PIPELINE_LOCK = 0x64656d6f73696d01L;

    /**
     * Joins the cluster; the lease timing may be set with the system properties
     * {@code demos.im.cluster.heartbeatMs} and {@code demos.im.cluster.expiryMs} (at least three heartbeats;
     * defaults 2,000 and 10,000): shorter reports a dead node's peers sooner, at more database load.
     */
    private static ClusterRouting joinCluster(ClusterDatabase db, String description) throws SQLException {
        String heartbeat = System.getProperty("demos.im.cluster.heartbeatMs");
        String expiry = System.getProperty("demos.im.cluster.expiryMs");
        if (heartbeat == null && expiry == null) {
            return NodeRouting.join(db, description);
        }
        try {
            return NodeRouting.join(db, description,
                    java.time.Duration.ofMillis(Long.parseLong(heartbeat == null ? "2000" : heartbeat)),
                    java.time.Duration.ofMillis(Long.parseLong(expiry == null ? "10000" : expiry)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("demos.im.cluster.heartbeatMs and demos.im.cluster.expiryMs are "
                    + "milliseconds: " + e.getMessage(), e);
        }
    }

    /** For operators reading cluster_nodes; no DNS lookup (getLocalHost can stall for seconds). */
    private static String describeNode(ServerConfig config) {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + " pid " + ProcessHandle.current().pid() + ", listening on " + config.host();
    }

    private static void closeAll(TlsEndpoint tls, AdminServer admin, MessageStore store) {
        if (store != null) {
            store.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The settings.
     *
     * @return the config
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * The bound L2PS port.
     *
     * @return the port or -1
     */
    public int l2psPort() {
        return host.port(L2PS);
    }

    /**
     * The bound legacy port.
     *
     * @return the port or -1
     */
    public int legacyPort() {
        return host.port(LEGACY);
    }

    /**
     * The bound admin port.
     *
     * @return the port, or -1 without one
     */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /**
     * Whether the protocol ports speak TLS.
     *
     * @return {@code true} for {@code wss://}
     */
    public boolean tls() {
        return tls != null;
    }

    /** Runs one pipeline round on the caller's thread. */
    public void runPipelineOnce() {
        pipeline.tick();
    }

    /**
     * Whether the server serves: started, not stopping, and its database working.
     *
     * @return readiness
     */
    public boolean ready() {
        return !stopped.get() && health.ready();
    }

    /**
     * Completes when the server has stopped: normally after {@link #stop()}, exceptionally with
     * {@code IM-SERVER-003} when it stopped itself because its database failed for good.
     *
     * @return the termination
     */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    /**
     * Connections open now (TCP, on both ports).
     *
     * @return the count
     */
    public int openConnections() {
        return host.openConnections();
    }

    /** The database failed for good: stop, on a thread of its own (the caller is a thread stop() ends). */
    private void failed(ImException failure) {
        LOG.log(System.Logger.Level.ERROR, failure.getMessage(), failure);
        Thread stopper = new Thread(() -> stop(1011, "server error: database unavailable", failure),
                "demos-im-stop-on-failure");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Stops everything, in reverse dependency order. Idempotent. */
    public void stop() {
        stop(1001, "server stopping", null);
    }

    private void stop(int closeCode, String closeReason, ImException failure) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.stopping(); // not ready from here on: load balancers stop sending clients
        }
        l2ps.stopping();
        legacy.stopping();
        pipeline.close();
        maintenance.shutdownNow();
        host.close(closeCode, closeReason);
        timers.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "handlers still running after 10 s; interrupting them");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        cluster.close(); // deletes this node's lease: the others see it gone at once, not after the expiry
        closeAll(tls, admin, store);
        LOG.log(System.Logger.Level.DEBUG, "demos-im server stopped");
        if (failure == null) {
            termination.complete(null);
        } else {
            termination.completeExceptionally(failure);
        }
    }
}
