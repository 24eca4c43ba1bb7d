package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL of table {@code legacy_id_bindings}: which key first proved each legacy client id (hardened mode,
 * legacy-and-crypto.md §C.1 #9). The id is found through its SHA-256 and compared exactly, as every unbounded
 * client string in this schema.
 */
final class LegacyIdBindings {
    private LegacyIdBindings() {
    }

    /**
     * Binds an id to a key unless it is bound already; a concurrent first binding of the same id is read back.
     *
     * @param c a connection in auto-commit mode
     * @return the digest of the key the id is bound to
     */
    static String bind(Connection c, String clientId, String keyDigest, long now) throws SQLException {
        String idDigest = JdbcMessageStore.digest(clientId);
        String bound = boundKey(c, idDigest, clientId);
        if (bound != null) {
            return bound;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO legacy_id_bindings (id_digest, client_id, "
                + "key_digest, bound_at) VALUES (?, ?, ?, ?)")) {
            p.setString(1, idDigest);
            p.setString(2, clientId);
            p.setString(3, keyDigest);
            p.setLong(4, now);
            p.executeUpdate();
            return keyDigest;
        } catch (SQLException e) {
            bound = boundKey(c, idDigest, clientId);
            if (bound == null) {
                throw e;
            }
            return bound; // another registration of this id bound it first
        }
    }

    private static String boundKey(Connection c, String idDigest, String clientId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT key_digest FROM legacy_id_bindings WHERE id_digest = ? AND client_id = ?")) {
            p.setString(1, idDigest);
            p.setString(2, clientId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
