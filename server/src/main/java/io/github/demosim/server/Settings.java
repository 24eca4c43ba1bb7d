package io.github.demosim.server;

import io.github.demosim.server.internal.Operations;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.store.DatabaseUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** The builder's settings and their checks, with the error texts users see. */
final class Settings {
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    private Settings() {
    }

    /** What a {@link DemosImServer.Builder} collects, with the defaults its setters state. */
    static final class Draft {
        ServerMode mode = ServerMode.HARDENED;
        String host = "127.0.0.1";
        int l2psPort = DemosImServer.DEFAULT_L2PS_PORT;
        int legacyPort = DemosImServer.DEFAULT_LEGACY_PORT;
        Set<String> l2psUids = Set.of(DemosImServer.DEFAULT_L2PS_UID);
        String databaseUrl;
        String databaseUser;
        String databasePassword;
        int batchSize = 10;
        Duration batchInterval = Duration.ofSeconds(10);
        Duration finalityDelay = Duration.ofSeconds(10);
        SubmissionPolicy submissionPolicy = SubmissionPolicy.acceptAll();
        Duration proofWindow = Duration.ofMinutes(5);
        int rateLimitPerSecond = 100;
        int rateLimitBurst = 500;
        Duration idleTimeout = Duration.ofSeconds(120);
        int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ServerLimits limits = ServerLimits.defaults();
        Duration databaseRecovery = Duration.ofSeconds(30);
        boolean requireServerBoundProof;
        Duration storeCommitDelay = DemosImServer.DEFAULT_STORE_COMMIT_DELAY;
        int adminPort = -1;
        String adminHost;
        ServerTls tls;

        /** The server's settings, checked as a whole. */
        ServerConfig config() {
            if (l2psPort < 0 && legacyPort < 0) {
                throw new IllegalStateException("both ports are disabled; enable L2PS or legacy");
            }
            if (requireServerBoundProof && mode != ServerMode.HARDENED) {
                throw new IllegalStateException("requiring server-bound proofs (requireServerBoundProof, "
                        + "--require-server-bound-proof) needs hardened mode: a reference server offers no extensions, "
                        + "so no client could register");
            }
            String url = databaseUrl != null ? databaseUrl : h2FileUrl(Path.of("data", "demos-im"));
            return new ServerConfig(mode, host, l2psPort, legacyPort, l2psUids, url, databaseUser,
                    databasePassword, batchSize, batchInterval, finalityDelay, submissionPolicy, proofWindow,
                    rateLimitPerSecond, rateLimitBurst, idleTimeout, workerThreads, limits, databaseRecovery,
                    requireServerBoundProof, storeCommitDelay);
        }

        /** The admin port's settings. */
        Operations operations() {
            return new Operations(adminHost != null ? adminHost : host, adminPort, tls);
        }
    }

    static String jdbcUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with jdbc:, e.g. jdbc:postgresql://localhost/demos"
                    + " or jdbc:h2:file:/var/lib/demos-im/db; was " + jdbcUrl);
        }
        return DatabaseUrls.check(jdbcUrl);
    }

    static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath(); // opened with WRITE_DELAY=0, like every H2 file URL
    }

    static int atLeastOne(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + value);
        }
        return value;
    }

    static Duration notNegative(Duration d, String name, String what) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d;
    }

    static Duration commitDelay(Duration d) {
        notNegative(d, "delay", "commit delay");
        if (d.compareTo(DemosImServer.MAX_STORE_COMMIT_DELAY) > 0) {
            throw new IllegalArgumentException("commit delay must be at most "
                    + DemosImServer.MAX_STORE_COMMIT_DELAY.toMillis() + " ms (it is added to a message's "
                    + "acknowledgement under load), was " + d.toMillis() + " ms");
        }
        return d;
    }

    static void rateLimit(int perSecond, int burst) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate limit must be 0 (off) or positive with a burst of at least 1");
        }
    }

    static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        return port;
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    static Set<String> l2psUids(Collection<String> uids) {
        Set<String> copy = new LinkedHashSet<>();
        for (String uid : Objects.requireNonNull(uids, "uids")) {
            if (uid == null || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException("an L2PS network uid must match [A-Za-z0-9_-]{1,200}, was " + uid);
            }
            copy.add(uid);
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("host at least one L2PS network, or call disableL2ps()");
        }
        return Set.copyOf(copy);
    }

    /** The URI clients use for a bound port: loopback for a wildcard bind, brackets for IPv6, wss with TLS. */
    static URI clientUri(String host, int port, String what, boolean tls) {
        if (port < 0) {
            throw new IllegalStateException("the " + what + " port is disabled on this server");
        }
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create((tls ? "wss://" : "ws://") + h + ":" + port + "/");
    }
}
