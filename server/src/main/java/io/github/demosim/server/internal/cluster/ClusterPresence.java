package io.github.demosim.server.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is registered on which node, per protocol: the {@code cluster_presence} table, one row per protocol and
 * key, keyed by the key's SHA-256 (as the store does with client strings), with the key itself (bounded), its
 * scope and negotiated extensions, which other nodes need to list it and route to it (migration 6). Every
 * change sends {@link Notice#JOINED} or {@link Notice#LEFT} in its own transaction, so the other nodes' caches
 * ({@link NodeRouting}) follow.
 *
 * <p>Takeover: when a key registers on this node while its row names another node, the row moves here and a
 * {@link Notice#TAKEOVER} naming the old node, the protocol and the key digest is sent in the same transaction;
 * the old node hears it and closes its connection for that key, as a second registration on one node does.
 * A row always names a node with a lease ({@code REFERENCES cluster_nodes ON DELETE CASCADE}): when a dead node
 * is reaped its rows go with it, and a node whose lease was reaped cannot register until it renewed it.
 */
public final class ClusterPresence implements AutoCloseable {
    private static final Pattern PROTOCOL = Pattern.compile("[a-z0-9]{1,16}");
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** The longest key a cluster registers (the column's bound); hardened L2PS keys have 64 characters. */
    public static final int MAX_KEY_CHARS = 1024;
    /** The longest scope (L2PS network id) a cluster registers. */
    public static final int MAX_SCOPE_CHARS = 200;
    private static final Pattern FEATURE = Pattern.compile("[a-z0-9_]{1,40}");

    /**
     * A row.
     *
     * @param protocol the protocol, e.g. "l2ps"
     * @param keyDigest the SHA-256 hex of the key
     * @param nodeId the node the key is registered on
     * @param key the key itself ('' for rows written before migration 6)
     * @param scope where the key is visible: the L2PS network id; '' when the protocol has none
     * @param features the client extensions the registration negotiated
     */
    public record Registration(String protocol, String keyDigest, String nodeId, String key, String scope,
            Set<String> features) {
        /** Copies the features. */
        public Registration {
            features = Set.copyOf(features);
        }
    }

    private final String nodeId;
    private final DedicatedConnection session;

    ClusterPresence(ClusterDatabase database, String nodeId) {
        this.nodeId = nodeId;
        this.session = new DedicatedConnection(database, "presence");
    }

    /**
     * Registers a key on this node, taking it over from another node if it was registered there.
     *
     * @param protocol the protocol
     * @param key the key as the protocol names it
     * @return the node the key was registered on before, if it was another one (that node was told)
     * @throws SQLException if the database cannot be reached, or this node holds no lease
     */
    public Optional<String> register(String protocol, String key) throws SQLException {
        return register(protocol, key, "", Set.of());
    }

    /**
     * Registers a key on this node with what other nodes need to list it and route to it, taking it over from
     * another node if it was registered there; every node hears {@link Notice#JOINED} when this commits.
     *
     * @param protocol the protocol
     * @param key the key as the protocol names it, at most {@value #MAX_KEY_CHARS} characters
     * @param scope the L2PS network, '' for none; at most {@value #MAX_SCOPE_CHARS} characters
     * @param features the extensions the registration negotiated (lower-case words)
     * @return the node the key was registered on before, if it was another one (that node was told)
     * @throws SQLException if the database cannot be reached, or this node holds no lease
     * @throws IllegalArgumentException for a key, scope or feature over its bound
     */
    public Optional<String> register(String protocol, String key, String scope, Set<String> features)
            throws SQLException {
        checkProtocol(protocol);
        checkRow(key, scope, features);
        String digest = digest(key);
        String featureList = String.join(",", features);
        try {
            return session.inTransaction(c -> {
                for (int attempt = 0; ; attempt++) {
                    String previous = currentNode(c, protocol, digest, true);
                    if (previous != null) {
                        try (PreparedStatement p = c.prepareStatement("UPDATE cluster_presence SET node_id = ?, "
                                + "registered_at = " + ClusterDatabase.NOW_MS + ", peer_key = ?, scope = ?, "
                                + "features = ? WHERE protocol = ? AND key_digest = ?")) {
                            p.setString(1, nodeId);
                            p.setString(2, key);
                            p.setString(3, scope);
                            p.setString(4, featureList);
                            p.setString(5, protocol);
                            p.setString(6, digest);
                            p.executeUpdate();
                        }
                        ClusterBus.publish(c, Notice.of(Notice.JOINED, nodeId, protocol, digest));
                        if (previous.equals(nodeId)) {
                            return Optional.<String>empty();
                        }
                        ClusterBus.publish(c, Notice.of(Notice.TAKEOVER, previous, protocol, digest));
                        return Optional.of(previous);
                    }
                    if (insert(c, protocol, digest, key, scope, featureList)) {
                        ClusterBus.publish(c, Notice.of(Notice.JOINED, nodeId, protocol, digest));
                        return Optional.<String>empty();
                    }
                    if (attempt == 3) { // inserted by another node between our read and our insert, each time
                        throw new SQLException("registration of a key kept racing with other nodes");
                    }
                }
            });
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw new SQLException("this node (" + nodeId + ") holds no lease: it was reaped as dead and "
                        + "registers again once its lease is renewed", e.getSQLState(), e);
            }
            throw e;
        }
    }

    /**
     * Registers a key on this node again after this node's lease was reaped, unless another node has it now: the
     * registration lost meanwhile is restored, a newer one elsewhere is left alone.
     *
     * @param registration what this node had registered
     * @return whether the row is this node's again ({@code false}: the key is registered on another node now)
     * @throws SQLException if the database cannot be reached, or this node holds no lease
     */
    public boolean reclaim(Registration registration) throws SQLException {
        checkProtocol(registration.protocol());
        String digest = digest(registration.key());
        return session.inTransaction(c -> {
            String current = currentNode(c, registration.protocol(), digest, true);
            if (current != null) {
                return current.equals(nodeId);
            }
            if (!insert(c, registration.protocol(), digest, registration.key(), registration.scope(),
                    String.join(",", registration.features()))) {
                return false;
            }
            ClusterBus.publish(c, Notice.of(Notice.JOINED, nodeId, registration.protocol(), digest));
            return true;
        });
    }

    private boolean insert(Connection c, String protocol, String digest, String key, String scope, String features)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO cluster_presence (protocol, key_digest, "
                + "node_id, registered_at, peer_key, scope, features) VALUES (?, ?, ?, " + ClusterDatabase.NOW_MS
                + ", ?, ?, ?) ON CONFLICT (protocol, key_digest) DO NOTHING")) {
            p.setString(1, protocol);
            p.setString(2, digest);
            p.setString(3, nodeId);
            p.setString(4, key);
            p.setString(5, scope);
            p.setString(6, features);
            return p.executeUpdate() == 1;
        }
    }

    /**
     * Every registration of the cluster, for the cache a node keeps of who is where (re-read after a gap).
     *
     * @return the rows
     * @throws SQLException if the database cannot be reached
     */
    public List<Registration> all() throws SQLException {
        return session.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_presence")) {
                return read(p);
            }
        });
    }

    /**
     * One registration, by its key's digest (as a notice names it).
     *
     * @param protocol the protocol
     * @param keyDigest the key's SHA-256 hex
     * @return the row, or empty if the key is registered nowhere
     * @throws SQLException if the database cannot be reached
     */
    public Optional<Registration> row(String protocol, String keyDigest) throws SQLException {
        return session.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_presence "
                    + "WHERE protocol = ? AND key_digest = ?")) {
                p.setString(1, protocol);
                p.setString(2, keyDigest);
                return read(p).stream().findFirst();
            }
        });
    }

    private static final String COLUMNS = "protocol, key_digest, node_id, peer_key, scope, features";

    private static List<Registration> read(PreparedStatement p) throws SQLException {
        List<Registration> rows = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.add(new Registration(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), features(r.getString(6))));
            }
        }
        return rows;
    }

    private static Set<String> features(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : list.split(",")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    private static void checkRow(String key, String scope, Set<String> features) {
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a cluster registers keys of 1 to " + MAX_KEY_CHARS
                    + " characters, not " + key.length());
        }
        if (scope.length() > MAX_SCOPE_CHARS) {
            throw new IllegalArgumentException("a cluster registers scopes of at most " + MAX_SCOPE_CHARS
                    + " characters, not " + scope.length());
        }
        for (String f : features) {
            if (!FEATURE.matcher(f).matches()) {
                throw new IllegalArgumentException("feature names are lower-case words: " + f);
            }
        }
        if (String.join(",", features).length() > 200) {
            throw new IllegalArgumentException("at most 200 characters of features are registered");
        }
    }

    /**
     * Removes a key's registration if it is still on this node (a peer that took it elsewhere keeps it there).
     *
     * @param protocol the protocol
     * @param key the key
     * @return whether a row was removed
     * @throws SQLException if the database cannot be reached
     */
    public boolean unregister(String protocol, String key) throws SQLException {
        checkProtocol(protocol);
        String digest = digest(key);
        return session.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM cluster_presence WHERE protocol = ? "
                    + "AND key_digest = ? AND node_id = ?")) {
                p.setString(1, protocol);
                p.setString(2, digest);
                p.setString(3, nodeId);
                if (p.executeUpdate() != 1) {
                    return false;
                }
            }
            ClusterBus.publish(c, Notice.of(Notice.LEFT, nodeId, protocol, digest));
            return true;
        });
    }

    /**
     * The node a key is registered on.
     *
     * @param protocol the protocol
     * @param key the key
     * @return the node, or empty when the key is registered nowhere
     * @throws SQLException if the database cannot be reached
     */
    public Optional<String> nodeOf(String protocol, String key) throws SQLException {
        checkProtocol(protocol);
        String digest = digest(key);
        return session.inTransaction(c -> Optional.ofNullable(currentNode(c, protocol, digest, false)));
    }

    /**
     * The registrations on a node.
     *
     * @param node a node id
     * @return its rows
     * @throws SQLException if the database cannot be reached
     */
    public List<Registration> onNode(String node) throws SQLException {
        return session.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_presence "
                    + "WHERE node_id = ? ORDER BY protocol, key_digest")) {
                p.setString(1, node);
                return read(p);
            }
        });
    }

    private static String currentNode(Connection c, String protocol, String digest, boolean lock) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT node_id FROM cluster_presence WHERE protocol = ? "
                + "AND key_digest = ?" + (lock ? " FOR UPDATE" : ""))) {
            p.setString(1, protocol);
            p.setString(2, digest);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static void checkProtocol(String protocol) {
        if (!PROTOCOL.matcher(protocol).matches()) {
            throw new IllegalArgumentException("protocol names are 1 to 16 lower-case letters or digits: " + protocol);
        }
    }

    /**
     * The SHA-256 hex of a key's UTF-8 bytes, as the rows and {@link Notice#TAKEOVER} name it.
     *
     * @param key a key
     * @return its digest
     */
    public static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
