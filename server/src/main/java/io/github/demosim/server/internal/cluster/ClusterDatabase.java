package io.github.demosim.server.internal.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the cluster's dedicated PostgreSQL sessions come from. They live outside the store's pool on purpose:
 * LISTEN and advisory locks belong to one session, and a pooled connection (or a transaction-pooling proxy)
 * would lose them.
 *
 * @param url the server's {@code jdbc:postgresql:} URL
 * @param user the user, or {@code null} when the URL names it
 * @param password the password, or {@code null}
 */
public record ClusterDatabase(String url, String user, String password) {
    /** The database's own clock in ms: every node compares leases against one clock, never its own. */
    static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    /**
     * Checks the URL.
     *
     * @throws IllegalArgumentException if it does not name PostgreSQL (only PostgreSQL forms a cluster)
     */
    public ClusterDatabase {
        Objects.requireNonNull(url, "url");
        if (!isPostgres(url)) {
            throw new IllegalArgumentException("a cluster needs PostgreSQL (jdbc:postgresql:...), not " + url);
        }
    }

    /**
     * Whether a database URL names PostgreSQL, the one database several server processes can share.
     *
     * @param url a JDBC URL
     * @return {@code true} for {@code jdbc:postgresql:}
     */
    public static boolean isPostgres(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    /**
     * Opens a session of its own, in auto-commit mode, with TCP keep-alive (a half-open connection to a database
     * host that vanished is noticed) and the purpose in {@code pg_stat_activity.application_name}.
     *
     * @param purpose what the session is for, e.g. "listen"
     * @param socketTimeoutSeconds how long one statement may wait for the database, 0 for no bound
     * @return the connection
     * @throws SQLException if the database cannot be reached
     */
    Connection open(String purpose, int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
        }
        p.setProperty("ApplicationName", "demos-im cluster " + purpose);
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        Connection c = DriverManager.getConnection(url, p);
        c.setAutoCommit(true);
        return c;
    }
}
