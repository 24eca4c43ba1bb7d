package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of table {@code kem_keys}, the ML-KEM key directory (docs/server.md "Extensions": {@code key_directory}):
 * one row per key and network, found through the key's SHA-256 and compared exactly.
 */
final class KemKeys {
    private KemKeys() {
    }

    /** Writes the key's ML-KEM key and extensions, replacing what it published before. */
    static void publish(JdbcMessageStore store, String publicKey, String l2psUid, String kemPublicKey,
            List<String> features, long now) {
        String digest = JdbcMessageStore.digest(publicKey);
        String featureList = String.join(",", features);
        for (int attempt = 0; ; attempt++) {
            int updated = store.update("publish KEM key", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE kem_keys SET kem_public_key = ?, updated_at = ?, "
                        + "public_key = ?, features = ? WHERE key_digest = ? AND l2ps_uid = ?")) {
                    p.setString(1, kemPublicKey);
                    p.setLong(2, now);
                    p.setString(3, publicKey);
                    p.setString(4, featureList);
                    p.setString(5, digest);
                    p.setString(6, l2psUid);
                    return p.executeUpdate();
                }
            });
            if (updated > 0) {
                return;
            }
            try {
                store.update("publish KEM key", c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO kem_keys (key_digest, l2ps_uid, "
                            + "public_key, kem_public_key, updated_at, features) VALUES (?, ?, ?, ?, ?, ?)")) {
                        p.setString(1, digest);
                        p.setString(2, l2psUid);
                        p.setString(3, publicKey);
                        p.setString(4, kemPublicKey);
                        p.setLong(5, now);
                        p.setString(6, featureList);
                        return p.executeUpdate();
                    }
                });
                return;
            } catch (DuplicateKeyException e) {
                if (attempt > 0) {
                    throw e; // a concurrent insert won twice in a row: give up rather than loop
                }
                // a concurrent registration inserted first: update its row instead
            }
        }
    }

    /** The key's published ML-KEM key and extensions in the network, if any. */
    static Optional<MessageStore.KemKeyEntry> get(Connection c, String publicKey, String l2psUid)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT kem_public_key, features FROM kem_keys "
                + "WHERE key_digest = ? AND l2ps_uid = ? AND public_key = ?")) {
            p.setString(1, JdbcMessageStore.digest(publicKey));
            p.setString(2, l2psUid);
            p.setString(3, publicKey);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String features = r.getString(2);
                return Optional.of(new MessageStore.KemKeyEntry(r.getString(1),
                        features.isEmpty() ? List.of() : List.of(features.split(","))));
            }
        }
    }
}
