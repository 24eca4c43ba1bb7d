package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The SQL of table {@code legacy_peer_keys}: the public key (JSON text, as registered) of each legacy client id, so a
 * cluster node answers {@code request_public_key} for a peer registered on another node (legacy-and-crypto.md §A.3:
 * the registered array, echoed unchanged). The id is found through its SHA-256 and compared exactly.
 */
final class LegacyPeerKeys {
    private LegacyPeerKeys() {
    }

    /** Writes the id's key, replacing the one it registered before. */
    static void put(Connection c, String clientId, String publicKeyJson, long now) throws SQLException {
        String idDigest = JdbcMessageStore.digest(clientId);
        for (int attempt = 0; ; attempt++) {
            try (PreparedStatement p = c.prepareStatement("UPDATE legacy_peer_keys SET client_id = ?, public_key = ?, "
                    + "updated_at = ? WHERE id_digest = ?")) {
                p.setString(1, clientId);
                p.setString(2, publicKeyJson);
                p.setLong(3, now);
                p.setString(4, idDigest);
                if (p.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO legacy_peer_keys (id_digest, client_id, "
                    + "public_key, updated_at) VALUES (?, ?, ?, ?)")) {
                p.setString(1, idDigest);
                p.setString(2, clientId);
                p.setString(3, publicKeyJson);
                p.setLong(4, now);
                p.executeUpdate();
                return;
            } catch (SQLException e) {
                if (attempt == 2) {
                    throw e;
                }
                // inserted by a concurrent registration of the id on another node: update that row
            }
        }
    }

    /** The key the id registered last, if any. */
    static Optional<String> get(Connection c, String clientId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT public_key FROM legacy_peer_keys WHERE id_digest = ? AND client_id = ?")) {
            p.setString(1, JdbcMessageStore.digest(clientId));
            p.setString(2, clientId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }
}
