package io.github.demosim.server;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.internal.ServerRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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
    /** The default of {@link Builder#storeCommitDelay}: 1 ms. */
    public static final Duration DEFAULT_STORE_COMMIT_DELAY = Duration.ofMillis(1);
    /** The largest {@link Builder#storeCommitDelay}: 100 ms. */
    public static final Duration MAX_STORE_COMMIT_DELAY = Duration.ofMillis(100);

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
     * the scheduled rounds, and returns when it is done. Useful in tests and demos that do not want to wait for the
     * interval. It paces itself as a scheduled round does (docs/server.md, "Pipeline"), so a large backlog
     * may take up to twice its working time.
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
        /** What the setters set; {@link Settings.Draft} holds the defaults they state. */
        private final Settings.Draft s = new Settings.Draft();

        private Builder() {
        }

        private Builder set(Consumer<Settings.Draft> change) {
            change.accept(s);
            return this;
        }

        /**
         * Sets the mode. Default: {@link ServerMode#HARDENED}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(ServerMode mode) {
            return set(d -> d.mode = Objects.requireNonNull(mode, "mode"));
        }

        /**
         * Sets the address to listen on. Default: {@code 127.0.0.1}; use {@code 0.0.0.0} to listen on every
         * interface as the reference node does.
         *
         * @param host an address or host name
         * @return this builder
         */
        public Builder host(String host) {
            return set(d -> d.host = Objects.requireNonNull(host, "host"));
        }

        /**
         * Sets the L2PS port. Default: {@value DemosImServer#DEFAULT_L2PS_PORT}. Unlike the reference, a taken
         * port is an error, not a silent move to the next free one.
         *
         * @param port 1..65535, or 0 for an ephemeral port
         * @return this builder
         */
        public Builder l2psPort(int port) {
            return set(d -> d.l2psPort = Settings.port(port));
        }

        /**
         * Sets the legacy signaling port. Default: {@value DemosImServer#DEFAULT_LEGACY_PORT}.
         *
         * @param port 1..65535, or 0 for an ephemeral port
         * @return this builder
         */
        public Builder legacyPort(int port) {
            return set(d -> d.legacyPort = Settings.port(port));
        }

        /**
         * Serves no L2PS port.
         *
         * @return this builder
         */
        public Builder disableL2ps() {
            return set(d -> d.l2psPort = -1);
        }

        /**
         * Serves no legacy port.
         *
         * @return this builder
         */
        public Builder disableLegacy() {
            return set(d -> d.legacyPort = -1);
        }

        /**
         * Sets the L2PS networks this server hosts; registrations for others get {@code L2PS_NOT_FOUND}.
         * Default: {@value DemosImServer#DEFAULT_L2PS_UID}.
         *
         * @param uids network uids matching {@code [A-Za-z0-9_-]{1,200}}
         * @return this builder
         */
        public Builder l2psUids(Collection<String> uids) {
            return set(d -> d.l2psUids = Settings.l2psUids(uids));
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
            return set(d -> d.databaseUrl = Settings.jdbcUrl(jdbcUrl));
        }

        /**
         * Sets database credentials, when they are not in the URL. Default: none.
         *
         * @param user the user
         * @param password the password
         * @return this builder
         */
        public Builder databaseCredentials(String user, String password) {
            s.databaseUser = Objects.requireNonNull(user, "user");
            s.databasePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Uses an embedded H2 database in a file (created if absent; {@code .mv.db} is appended).
         *
         * @param file the database file without extension
         * @return this builder
         */
        public Builder databaseFile(Path file) {
            return set(d -> d.databaseUrl = Settings.h2FileUrl(Objects.requireNonNull(file, "file")));
        }

        /**
         * Uses a fresh in-memory H2 database, gone when the server stops. For tests.
         *
         * @return this builder
         */
        public Builder inMemoryDatabase() {
            return set(d -> d.databaseUrl = "jdbc:h2:mem:demos-im-" + UUID.randomUUID());
        }

        /**
         * Sets the maximum number of L2PS transactions per batch. Default: 10 (the node's cap).
         *
         * @param size 1 or more
         * @return this builder
         */
        public Builder batchSize(int size) {
            return set(d -> d.batchSize = Settings.atLeastOne(size, "batch size"));
        }

        /**
         * Sets the time between pipeline rounds. Default: 10 s (the node's aggregation interval).
         *
         * @param interval positive
         * @return this builder
         */
        public Builder batchInterval(Duration interval) {
            return set(d -> d.batchInterval = Settings.positive(interval, "batch interval"));
        }

        /**
         * Sets the time from batch submission to confirmation. Default: 10 s.
         *
         * @param delay zero or more
         * @return this builder
         */
        public Builder finalityDelay(Duration delay) {
            return set(d -> d.finalityDelay = Settings.notNegative(delay, "delay", "finality delay"));
        }

        /**
         * Sets the fault hook of the simulated chain. Default: {@link SubmissionPolicy#acceptAll()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder submissionPolicy(SubmissionPolicy policy) {
            return set(d -> d.submissionPolicy = Objects.requireNonNull(policy, "policy"));
        }

        /**
         * Sets how far a proof timestamp may be from the server clock, each way (hardened mode). Default: 5 min.
         *
         * @param window positive
         * @return this builder
         */
        public Builder proofWindow(Duration window) {
            return set(d -> d.proofWindow = Settings.positive(window, "proof window"));
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
            Settings.rateLimit(perSecond, burst);
            s.rateLimitPerSecond = perSecond;
            s.rateLimitBurst = burst;
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
            return set(d -> d.requireServerBoundProof = required);
        }

        /**
         * Sets the WebSocket idle timeout. The server pings every third of it, so clients that answer pings
         * stay connected. Default: 120 s (Bun's).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            return set(d -> d.idleTimeout = Settings.positive(timeout, "idle timeout"));
        }

        /**
         * Sets the store's commit delay: how long a database writer that committed a small batch (under 32 writes)
         * within that time waits for more writes to share its next commit, up to 32 of them. Each commit has a cost of
         * its own (on H2 a rewrite of every changed index's path to its root; on PostgreSQL a WAL flush), so at
         * moderate rates grouping more writes per commit takes CPU per message down, by 30 % at 1,000 msg/s with
         * the default (docs/performance.md, issue 16), for at most this much more time before {@code message_sent}.
         * A write after a quiet spell is committed at once, and after a large batch (heavy load) nothing waits.
         * Default: {@link #DEFAULT_STORE_COMMIT_DELAY}; {@link Duration#ZERO} turns it off.
         *
         * @param delay from 0 to {@link #MAX_STORE_COMMIT_DELAY}
         * @return this builder
         */
        public Builder storeCommitDelay(Duration delay) {
            return set(d -> d.storeCommitDelay = Settings.commitDelay(delay));
        }

        /**
         * Sets the number of threads that handle frames. Default: twice the processors, at least 4.
         *
         * @param threads 1 or more
         * @return this builder
         */
        public Builder workerThreads(int threads) {
            return set(d -> d.workerThreads = Settings.atLeastOne(threads, "worker threads"));
        }

        /**
         * Sets the connection, buffer, offline-queue and per-address rate bounds. Default:
         * {@link ServerLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(ServerLimits limits) {
            return set(d -> d.limits = Objects.requireNonNull(limits, "limits"));
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
            return set(d -> d.adminPort = Settings.port(port));
        }

        /**
         * Sets how long the server tries to reopen a database that broke while running (not ready meanwhile)
         * before it stops itself with {@link ErrorCode#SERVER_STORE_FAILED}. Default: 30 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder databaseRecoveryTimeout(Duration timeout) {
            return set(d -> d.databaseRecovery = Settings.positive(timeout, "database recovery timeout"));
        }

        /**
         * Sets the address the admin port listens on. Default: the same as {@link #host(String)}.
         *
         * @param host an address or host name
         * @return this builder
         */
        public Builder adminHost(String host) {
            return set(d -> d.adminHost = Objects.requireNonNull(host, "host"));
        }

        /**
         * Serves both protocol ports over TLS ({@code wss://}) with this certificate. Default: plain
         * {@code ws://}, which is right on loopback; anywhere else clients need TLS.
         *
         * @param tls the certificate and key
         * @return this builder
         */
        public Builder tls(ServerTls tls) {
            return set(d -> d.tls = Objects.requireNonNull(tls, "tls"));
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
            return new DemosImServer(ServerRuntime.start(s.config(), s.operations()));
        }
    }
}
