package io.github.demosim.server;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.internal.Operations;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.ServerRuntime;
import io.github.demosim.server.internal.store.DatabaseUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The demos-im reference server: L2PS messaging (default port 3006) and legacy signaling (default port 3005)
 * in one process, with messages persisted in a database and a simulated L2PS pipeline.
 *
 * <p>Start one with a {@link Builder}:
 * <pre>{@code
 * try (DemosImServer server = DemosImServer.newBuilder()
 *         .l2psPort(0).legacyPort(0)          // ephemeral ports
 *         .inMemoryDatabase()
 *         .start()) {
 *     URI l2ps = server.l2psUri();            // ws://127.0.0.1:<port>/
 *     ...
 * }
 * }</pre>
 *
 * <p>Any path upgrades to WebSocket; a plain HTTP request gets what the reference answers on that port
 * (L2PS: 426 {@code WebSocket upgrade required}; legacy: 500 {@code Upgrade failed}). The JSON codec and the
 * crypto come from the installed providers ({@code demos-im-codec-json}, {@code demos-im-crypto-bouncycastle}),
 * found with {@link java.util.ServiceLoader} like any user of the SDK finds them.
 *
 * <p>Instances are thread-safe. {@link #close()} stops gracefully: no new connections, open ones closed with
 * 1001, handlers finished, pipeline and database closed. Stored messages, queues and statuses survive a
 * restart on the same database. If the database breaks for good while running, the server stops itself
 * (open connections closed with 1011) and {@link #termination()} says why; {@link #isReady()} is false while
 * it tries to reopen the database.
 */
public final class DemosImServer implements AutoCloseable {
    /** The reference's L2PS messaging port, {@value}. */
    public static final int DEFAULT_L2PS_PORT = 3006;
    /** The reference's legacy signaling port, {@value}. */
    public static final int DEFAULT_LEGACY_PORT = 3005;
    /** The L2PS network hosted when none is configured, {@value}. */
    public static final String DEFAULT_L2PS_UID = "testnet_l2ps_001";

    private final ServerRuntime runtime;

    private DemosImServer(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * The mode this server runs in.
     *
     * @return the mode
     */
    public ServerMode mode() {
        return runtime.config().mode();
    }

    /**
     * The bound L2PS port.
     *
     * @return the port, or -1 if L2PS is disabled
     */
    public int l2psPort() {
        return runtime.l2psPort();
    }

    /**
     * The bound legacy port.
     *
     * @return the port, or -1 if the legacy protocol is disabled
     */
    public int legacyPort() {
        return runtime.legacyPort();
    }

    /**
     * The bound admin port (metrics and health, see {@link Builder#adminPort(int)}).
     *
     * @return the port, or -1 if there is none
     */
    public int adminPort() {
        return runtime.adminPort();
    }

    /**
     * The WebSocket URI of the L2PS port, for clients.
     *
     * @return {@code ws://<host>:<port>/}, or {@code wss://} with {@link Builder#tls(ServerTls)}
     * @throws IllegalStateException if L2PS is disabled
     */
    public URI l2psUri() {
        return Settings.clientUri(runtime.config().host(), l2psPort(), "L2PS", runtime.tls());
    }

    /**
     * The WebSocket URI of the legacy port, for clients.
     *
     * @return {@code ws://<host>:<port>/}, or {@code wss://} with {@link Builder#tls(ServerTls)}
     * @throws IllegalStateException if the legacy protocol is disabled
     */
    public URI legacyUri() {
        return Settings.clientUri(runtime.config().host(), legacyPort(), "legacy", runtime.tls());
    }

    /**
     * The L2PS networks this server hosts.
     *
     * @return network uids
     */
    public Set<String> l2psUids() {
        return runtime.config().l2psUids();
    }

    /**
     * Whether the server serves requests: started, not stopped, and its database working (false while it
     * reopens a database that failed).
     *
     * @return readiness
     */
    public boolean isReady() {
        return runtime.ready();
    }

    /**
     * Completes when the server has stopped: normally after {@link #stop()}; exceptionally with an
     * {@link ImException} of code {@link ErrorCode#SERVER_STORE_FAILED} when it stopped itself because its
     * database failed and could not be reopened (docs/server.md, "Database failures").
     *
     * @return the termination
     */
    public CompletionStage<Void> termination() {
        return runtime.termination().minimalCompletionStage();
    }

    /**
     * Runs one round of the L2PS pipeline now (confirm what is final, batch what is pending), in addition to
     * the scheduled rounds. Useful in tests and demos that do not want to wait for the interval.
     */
    public void runPipelineOnce() {
        runtime.runPipelineOnce();
    }

    /**
     * Stops the server gracefully. Idempotent.
     */
    public void stop() {
        runtime.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "DemosImServer[" + mode() + ", l2ps=" + l2psPort() + ", legacy=" + legacyPort() + "]";
    }

    /**
     * Configures and starts a server. Not thread-safe; every setter states its default.
     */
    public static final class Builder {
        private ServerMode mode = ServerMode.HARDENED;
        private String host = "127.0.0.1";
        private int l2psPort = DEFAULT_L2PS_PORT;
        private int legacyPort = DEFAULT_LEGACY_PORT;
        private Set<String> l2psUids = Set.of(DEFAULT_L2PS_UID);
        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private int batchSize = 10;
        private Duration batchInterval = Duration.ofSeconds(10);
        private Duration finalityDelay = Duration.ofSeconds(10);
        private SubmissionPolicy submissionPolicy = SubmissionPolicy.acceptAll();
        private Duration proofWindow = Duration.ofMinutes(5);
        private int rateLimitPerSecond = 100;
        private int rateLimitBurst = 500;
        private Duration idleTimeout = Duration.ofSeconds(120);
        private int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private ServerLimits limits = ServerLimits.defaults();
        private Duration databaseRecovery = Duration.ofSeconds(30);
        private boolean requireServerBoundProof;
        private int adminPort = -1;
        private String adminHost;
        private ServerTls tls;

        private Builder() {
        }

        /**
         * Sets the mode. Default: {@link ServerMode#HARDENED}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(ServerMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the address to listen on. Default: {@code 127.0.0.1}; use {@code 0.0.0.0} to listen on every
         * interface as the reference node does.
         *
         * @param host an address or host name
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the L2PS port. Default: {@value DemosImServer#DEFAULT_L2PS_PORT}. Unlike the reference, a taken
         * port is an error, not a silent move to the next free one.
         *
         * @param port 1..65535, or 0 for an ephemeral port
         * @return this builder
         */
        public Builder l2psPort(int port) {
            this.l2psPort = Settings.port(port);
            return this;
        }

        /**
         * Sets the legacy signaling port. Default: {@value DemosImServer#DEFAULT_LEGACY_PORT}.
         *
         * @param port 1..65535, or 0 for an ephemeral port
         * @return this builder
         */
        public Builder legacyPort(int port) {
            this.legacyPort = Settings.port(port);
            return this;
        }

        /**
         * Serves no L2PS port.
         *
         * @return this builder
         */
        public Builder disableL2ps() {
            this.l2psPort = -1;
            return this;
        }

        /**
         * Serves no legacy port.
         *
         * @return this builder
         */
        public Builder disableLegacy() {
            this.legacyPort = -1;
            return this;
        }

        /**
         * Sets the L2PS networks this server hosts; registrations for others get {@code L2PS_NOT_FOUND}.
         * Default: {@value DemosImServer#DEFAULT_L2PS_UID}.
         *
         * @param uids network uids matching {@code [A-Za-z0-9_-]{1,200}}
         * @return this builder
         */
        public Builder l2psUids(Collection<String> uids) {
            this.l2psUids = Settings.l2psUids(uids);
            return this;
        }

        /**
         * Same as {@link #l2psUids(Collection)}.
         *
         * @param uids network uids
         * @return this builder
         */
        public Builder l2psUids(String... uids) {
            return l2psUids(List.of(uids));
        }

        /**
         * Sets the database by JDBC URL: {@code jdbc:h2:...} (embedded H2) or
         * {@code jdbc:postgresql://host/db} (PostgreSQL). The schema is created or migrated at start. Every H2
         * URL that names a file (or a remote H2 database) is opened with {@code WRITE_DELAY=0}, whatever its form,
         * so an acknowledged message survives a killed process. Default: an H2 file {@code ./data/demos-im}.
         *
         * @param jdbcUrl the URL
         * @return this builder
         * @throws IllegalArgumentException for a URL that is not JDBC, an H2 form H2 would misread as a file name
         *     (such as {@code jdbc:h2:fil:/x}), or an H2 URL asking for a write delay
         */
        public Builder databaseUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("a JDBC URL starts with jdbc:, e.g. jdbc:postgresql://localhost/demos"
                        + " or jdbc:h2:file:/var/lib/demos-im/db; was " + jdbcUrl);
            }
            this.databaseUrl = DatabaseUrls.check(jdbcUrl);
            return this;
        }

        /**
         * Sets database credentials, when they are not in the URL. Default: none.
         *
         * @param user the user
         * @param password the password
         * @return this builder
         */
        public Builder databaseCredentials(String user, String password) {
            this.databaseUser = Objects.requireNonNull(user, "user");
            this.databasePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Uses an embedded H2 database in a file (created if absent; {@code .mv.db} is appended).
         *
         * @param file the database file without extension
         * @return this builder
         */
        public Builder databaseFile(Path file) {
            this.databaseUrl = h2FileUrl(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * Uses a fresh in-memory H2 database, gone when the server stops. For tests.
         *
         * @return this builder
         */
        public Builder inMemoryDatabase() {
            this.databaseUrl = "jdbc:h2:mem:demos-im-" + UUID.randomUUID();
            return this;
        }

        private static String h2FileUrl(Path file) {
            return "jdbc:h2:file:" + file.toAbsolutePath(); // opened with WRITE_DELAY=0, like every H2 file URL
        }

        /**
         * Sets the maximum number of L2PS transactions per batch. Default: 10 (the node's cap).
         *
         * @param size 1 or more
         * @return this builder
         */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, was " + size);
            }
            this.batchSize = size;
            return this;
        }

        /**
         * Sets the time between pipeline rounds. Default: 10 s (the node's aggregation interval).
         *
         * @param interval positive
         * @return this builder
         */
        public Builder batchInterval(Duration interval) {
            this.batchInterval = Settings.positive(interval, "batch interval");
            return this;
        }

        /**
         * Sets the time from batch submission to confirmation. Default: 10 s.
         *
         * @param delay zero or more
         * @return this builder
         */
        public Builder finalityDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("finality delay must not be negative, was " + delay);
            }
            this.finalityDelay = delay;
            return this;
        }

        /**
         * Sets the fault hook of the simulated chain. Default: {@link SubmissionPolicy#acceptAll()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder submissionPolicy(SubmissionPolicy policy) {
            this.submissionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how far a proof timestamp may be from the server clock, each way (hardened mode). Default: 5 min.
         *
         * @param window positive
         * @return this builder
         */
        public Builder proofWindow(Duration window) {
            this.proofWindow = Settings.positive(window, "proof window");
            return this;
        }

        /**
         * Sets the pace of frames per connection, and per registered key across its connections (hardened mode;
         * see also {@link ServerLimits#withRateLimitPerAddress}): beyond it the server reads a connection's next
         * frame only once the pace allows, so a flooding client is slowed by TCP back-pressure and nothing it sent
         * is refused or lost. Acknowledgements of messages the connection was handed do not count. Default: 100
         * per second, bursts of 500 (our own clients, paging history or acknowledging a backlog, stay within it).
         *
         * @param perSecond sustained frames per second, or 0 for no limit
         * @param burst frames allowed at once
         * @return this builder
         */
        public Builder rateLimit(int perSecond, int burst) {
            if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
                throw new IllegalArgumentException("rate limit must be 0 (off) or positive with a burst of at least 1");
            }
            this.rateLimitPerSecond = perSecond;
            this.rateLimitBurst = burst;
            return this;
        }

        /**
         * Requires server-bound L2PS registration proofs (hardened mode): a {@code register} must sign the challenge
         * this server issued on the same connection (extension {@code server_challenge}, see docs/server.md), so a
         * proof captured elsewhere, at another server or on the wire, registers nothing here. Clients without the
         * extension, such as the TypeScript SDK, can then no longer register. Default: off (both proofs accepted).
         *
         * @param required whether to require it
         * @return this builder
         */
        public Builder requireServerBoundProof(boolean required) {
            this.requireServerBoundProof = required;
            return this;
        }

        /**
         * Sets the WebSocket idle timeout. The server pings every third of it, so clients that answer pings
         * stay connected. Default: 120 s (Bun's).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Settings.positive(timeout, "idle timeout");
            return this;
        }

        /**
         * Sets the number of threads that handle frames. Default: twice the processors, at least 4.
         *
         * @param threads 1 or more
         * @return this builder
         */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("worker threads must be at least 1, was " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * Sets the connection, buffer, offline-queue and per-address rate bounds. Default:
         * {@link ServerLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Serves metrics and health checks over plain HTTP on a port of their own: {@code GET /metrics} (the
         * Prometheus text format), {@code GET /health/live} and {@code GET /health/ready} (200 when the protocol
         * ports are bound and the database answers, else 503), as docs/operations.md describes. Needs the
         * Prometheus Java client ({@code io.prometheus:prometheus-metrics-core},
         * {@code prometheus-metrics-exposition-textformats}, {@code prometheus-metrics-instrumentation-jvm}).
         * Default: none.
         *
         * @param port 1..65535, or 0 for an ephemeral one
         * @return this builder
         */
        public Builder adminPort(int port) {
            this.adminPort = Settings.port(port);
            return this;
        }

        /**
         * Sets how long the server tries to reopen a database that broke while running (not ready meanwhile)
         * before it stops itself with {@link ErrorCode#SERVER_STORE_FAILED}. Default: 30 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder databaseRecoveryTimeout(Duration timeout) {
            this.databaseRecovery = Settings.positive(timeout, "database recovery timeout");
            return this;
        }

        /**
         * Sets the address the admin port listens on. Default: the same as {@link #host(String)}.
         *
         * @param host an address or host name
         * @return this builder
         */
        public Builder adminHost(String host) {
            this.adminHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Serves both protocol ports over TLS ({@code wss://}) with this certificate. Default: plain
         * {@code ws://}, which is right on loopback; anywhere else clients need TLS.
         *
         * @param tls the certificate and key
         * @return this builder
         */
        public Builder tls(ServerTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Opens the database (migrating its schema), binds the ports and starts serving.
         *
         * @return the running server
         * @throws ImException ({@link ErrorCode#SERVER_START_FAILED}) if a port cannot be bound, the
         *     database cannot be opened, no codec or crypto provider is installed, the TLS files cannot be read,
         *     or an admin port is asked for without the Prometheus client
         */
        public DemosImServer start() {
            if (l2psPort < 0 && legacyPort < 0) {
                throw new IllegalStateException("both ports are disabled; enable L2PS or legacy");
            }
            if (requireServerBoundProof && mode != ServerMode.HARDENED) {
                throw new IllegalStateException("requiring server-bound proofs (requireServerBoundProof, "
                        + "--require-server-bound-proof) needs hardened mode: a reference server offers no extensions, "
                        + "so no client could register");
            }
            String url = databaseUrl != null ? databaseUrl : h2FileUrl(Path.of("data", "demos-im"));
            ServerConfig config = new ServerConfig(mode, host, l2psPort, legacyPort, l2psUids, url, databaseUser,
                    databasePassword, batchSize, batchInterval, finalityDelay, submissionPolicy, proofWindow,
                    rateLimitPerSecond, rateLimitBurst, idleTimeout, workerThreads, limits, databaseRecovery,
                    requireServerBoundProof);
            Operations ops = new Operations(adminHost != null ? adminHost : host, adminPort, tls);
            return new DemosImServer(ServerRuntime.start(config, ops));
        }
    }
}
