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
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is registered on which node, per protocol: the {@code cluster_presence} table, one row per protocol and
 * key (keys are stored as their SHA-256, as the store does with unbounded client strings).
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

    /**
     * A row.
     *
     * @param protocol the protocol, e.g. "l2ps"
     * @param keyDigest the SHA-256 hex of the key
     * @param nodeId the node the key is registered on
     */
    public record Registration(String protocol, String keyDigest, String nodeId) {
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
        checkProtocol(protocol);
        String digest = digest(key);
        try {
            return session.inTransaction(c -> {
                for (int attempt = 0; ; attempt++) {
                    String previous = currentNode(c, protocol, digest, true);
                    if (previous != null) {
                        try (PreparedStatement p = c.prepareStatement("UPDATE cluster_presence SET node_id = ?, "
                                + "registered_at = " + ClusterDatabase.NOW_MS
                                + " WHERE protocol = ? AND key_digest = ?")) {
                            p.setString(1, nodeId);
                            p.setString(2, protocol);
                            p.setString(3, digest);
                            p.executeUpdate();
                        }
                        if (previous.equals(nodeId)) {
                            return Optional.<String>empty();
                        }
                        ClusterBus.publish(c, Notice.of(Notice.TAKEOVER, previous, protocol, digest));
                        return Optional.of(previous);
                    }
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO cluster_presence (protocol, key_digest, "
                            + "node_id, registered_at) VALUES (?, ?, ?, " + ClusterDatabase.NOW_MS + ") "
                            + "ON CONFLICT (protocol, key_digest) DO NOTHING")) {
                        p.setString(1, protocol);
                        p.setString(2, digest);
                        p.setString(3, nodeId);
                        if (p.executeUpdate() == 1) {
                            return Optional.<String>empty();
                        }
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
                return p.executeUpdate() == 1;
            }
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
            List<Registration> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT protocol, key_digest FROM cluster_presence "
                    + "WHERE node_id = ? ORDER BY protocol, key_digest")) {
                p.setString(1, node);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Registration(r.getString(1), r.getString(2), node));
                    }
                }
            }
            return rows;
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
