package io.github.demosim.reliability.support;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Several real server processes ({@link ServerProcess}: the server's main in a JVM of its own) on one PostgreSQL
 * database, which makes them one cluster (docs/cluster.md): each on ephemeral ports, started one after the other
 * and waited for until it listens and its lease is in {@code cluster_nodes}. A test kills one with SIGKILL
 * ({@link #kill(int)}); {@link #close()} stops every one still running and fails if any process outlives it.
 */
public final class ServerCluster implements AutoCloseable {
    private static final Duration GUARD = Duration.ofSeconds(120);

    private final String databaseUrl;
    private final List<ServerProcess> nodes = new ArrayList<>();

    private ServerCluster(String databaseUrl) {
        this.databaseUrl = databaseUrl;
    }

    /**
     * Starts {@code count} server processes on the database.
     *
     * @param databaseUrl a PostgreSQL JDBC URL (user in it)
     * @param count how many nodes
     * @param dir a temporary directory (the processes need a path even when the database is a URL)
     * @param settings applied to every node's options (mode, rate limit, limits); {@code o -> o} for the defaults
     * @return the running cluster, every node listening and holding its lease
     */
    public static ServerCluster start(String databaseUrl, int count, Path dir,
            UnaryOperator<ServerProcess.Options> settings) {
        ServerCluster c = new ServerCluster(databaseUrl);
        try {
            for (int i = 0; i < count; i++) {
                c.nodes.add(settings.apply(ServerProcess.on(dir.resolve("node-" + i)).databaseUrl(databaseUrl))
                        .start());
            }
            Await.until(() -> "every node's lease in cluster_nodes (" + c.leases() + " of " + count + ")", GUARD,
                    () -> c.leases() == count);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The {@code i}-th node (0-based, in start order). */
    public ServerProcess node(int i) {
        return nodes.get(i);
    }

    /** How many nodes were started. */
    public int size() {
        return nodes.size();
    }

    /**
     * The L2PS URIs of every node, starting with node {@code first} and going round: a client given these
     * connects to {@code first} and fails over to the next.
     */
    public List<URI> l2psUris(int first) {
        List<URI> uris = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            uris.add(nodes.get((first + k) % nodes.size()).l2psUri());
        }
        return uris;
    }

    /** As {@link #l2psUris(int)}, for the legacy protocol. */
    public List<URI> legacyUris(int first) {
        List<URI> uris = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            uris.add(nodes.get((first + k) % nodes.size()).legacyUri());
        }
        return uris;
    }

    /** SIGKILL of node {@code i}: no goodbye, its lease stays until it expires. */
    public void kill(int i) {
        nodes.get(i).kill();
    }

    /** The leases in {@code cluster_nodes} (live nodes, and dead ones not yet reaped); -1 while unreadable. */
    public int leases() {
        return count("SELECT COUNT(*) FROM cluster_nodes");
    }

    /** A {@code COUNT(*)}-like query's answer on the cluster's database, or -1 if it cannot be read now. */
    public int count(String sql) {
        try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            return -1; // schema not there yet, or the database restarting
        }
    }

    /** The rows of a query on the cluster's database, columns joined by {@code |}, for a failure's message. */
    public List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    b.append(i > 1 ? "|" : "").append(r.getMetaData().getColumnName(i)).append('=')
                            .append(r.getString(i));
                }
                rows.add(b.toString());
            }
        } catch (SQLException e) {
            rows.add("(cannot read: " + e.getMessage() + ")");
        }
        return rows;
    }

    /** The last lines every node logged, for a failure's message. */
    public String recentLogs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            b.append("--- node ").append(i).append(" ---\n").append(nodes.get(i).recentLog()).append('\n');
        }
        return b.toString();
    }

    /** Stops every node still running (killing those that do not stop) and checks that no process is left. */
    @Override
    public void close() {
        for (ServerProcess n : nodes) {
            n.close();
        }
        List<Long> left = nodes.stream().filter(ServerProcess::isAlive).map(ServerProcess::pid).toList();
        if (!left.isEmpty()) {
            throw new AssertionError("server processes still running after close: " + left);
        }
    }
}
