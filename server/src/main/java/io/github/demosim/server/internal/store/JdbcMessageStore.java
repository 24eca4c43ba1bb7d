package io.github.demosim.server.internal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@link MessageStore} over JDBC, on embedded H2 or PostgreSQL (the schema is {@link SchemaMigrations}).
 */
public final class JdbcMessageStore implements MessageStore {
    private static final System.Logger LOG = System.getLogger(JdbcMessageStore.class.getName());
    private static final String UNIQUE_VIOLATION = "23505"; // same SQLSTATE in H2 and PostgreSQL
    private static final int IN_CHUNK = 500;
    private static final String MESSAGE_COLUMNS = "id, from_key, to_key, l2ps_uid, message_hash, encrypted, "
            + "l2ps_tx_hash, sent_at, delivery, via_queue, pipeline, batch_hash, failure_reason";

    private final JdbcPool pool;

    private JdbcMessageStore(JdbcPool pool) {
        this.pool = pool;
    }

    /**
     * Opens a store and brings its schema up to date.
     *
     * @param url JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...})
     * @param user user name, or {@code null} to use the URL's
     * @param password password, or {@code null}
     * @param poolSize number of connections
     * @return the store
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static JdbcMessageStore open(String url, String user, String password, int poolSize) {
        JdbcPool pool;
        try {
            pool = new JdbcPool(url, user, password, poolSize);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + redact(url) + ": " + e.getMessage(), e);
        }
        try {
            int version = pool.withConnection(SchemaMigrations::apply);
            LOG.log(System.Logger.Level.DEBUG, "database {0} at schema version {1}", redact(url), version);
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("cannot prepare the schema of " + redact(url) + ": " + e.getMessage(), e);
        }
        return new JdbcMessageStore(pool);
    }

    /** The URL without a password parameter, for messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** SHA-256 hex of a string's UTF-8 bytes: the indexable stand-in for unbounded client strings. */
    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e); // required by the Java SE spec
        }
    }

    // --- L2PS messages -------------------------------------------------------------------------------

    @Override
    public Optional<L2psMessageRow> findByMessageHash(String messageHash) {
        return query("find message by hash", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT " + MESSAGE_COLUMNS + " FROM l2ps_messages WHERE hash_digest = ? AND message_hash = ?")) {
                p.setString(1, digest(messageHash));
                p.setString(2, messageHash);
                List<L2psMessageRow> rows = readMessages(p);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    @Override
    public void insert(L2psMessageRow m) {
        update("insert message", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO l2ps_messages (id, from_key, from_digest, "
                    + "to_key, to_digest, l2ps_uid, message_hash, hash_digest, encrypted, l2ps_tx_hash, sent_at, "
                    + "delivery, via_queue, pipeline, batch_hash, failure_reason) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, m.id());
                p.setString(2, m.from());
                p.setString(3, digest(m.from()));
                p.setString(4, m.to());
                p.setString(5, digest(m.to()));
                p.setString(6, m.l2psUid());
                p.setString(7, m.messageHash());
                p.setString(8, digest(m.messageHash()));
                p.setString(9, m.encryptedJson());
                setNullable(p, 10, m.l2psTxHash());
                p.setLong(11, m.timestamp());
                p.setString(12, m.delivery().column());
                p.setBoolean(13, m.viaQueue());
                p.setString(14, m.pipeline().column());
                setNullable(p, 15, m.batchHash());
                setNullable(p, 16, m.failureReason());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public void markAdmitted(String id, String l2psTxHash) {
        update("record admission", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET l2ps_tx_hash = ? WHERE id = ?")) {
                p.setString(1, l2psTxHash);
                p.setString(2, id);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public void markRejected(String id, String reason) {
        update("record refusal", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = ?, pipeline = ?, "
                    + "failure_reason = ? WHERE id = ?")) {
                p.setString(1, DeliveryState.REJECTED.column());
                p.setString(2, PipelineState.FAILED.column());
                setNullable(p, 3, reason);
                p.setString(4, id);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public List<L2psMessageRow> undelivered(String toKey, String l2psUid) {
        return query("load the offline queue", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM l2ps_messages "
                    + "WHERE to_digest = ? AND l2ps_uid = ? AND delivery IN (?, ?) AND to_key = ? "
                    + "ORDER BY sent_at, seq")) {
                p.setString(1, digest(toKey));
                p.setString(2, l2psUid);
                p.setString(3, DeliveryState.QUEUED.column());
                p.setString(4, DeliveryState.PENDING_ACK.column());
                p.setString(5, toKey);
                return readMessages(p);
            }
        });
    }

    @Override
    public void setDelivery(Collection<String> ids, DeliveryState state) {
        for (List<String> chunk : chunks(ids)) {
            update("update delivery state", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = ? WHERE id IN ("
                        + placeholders(chunk.size()) + ")")) {
                    p.setString(1, state.column());
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setString(i + 2, chunk.get(i));
                    }
                    return p.executeUpdate();
                }
            });
        }
    }

    @Override
    public void requeue(String id) {
        update("requeue", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE l2ps_messages SET delivery = ?, via_queue = TRUE WHERE id = ?")) {
                p.setString(1, DeliveryState.QUEUED.column());
                p.setString(2, id);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean acknowledge(String toKey, String messageHash) {
        return update("acknowledge", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = CASE WHEN via_queue "
                    + "THEN ? ELSE ? END WHERE hash_digest = ? AND message_hash = ? AND to_key = ? AND delivery = ?")) {
                p.setString(1, DeliveryState.SENT.column());
                p.setString(2, DeliveryState.DELIVERED.column());
                p.setString(3, digest(messageHash));
                p.setString(4, messageHash);
                p.setString(5, toKey);
                p.setString(6, DeliveryState.PENDING_ACK.column());
                return p.executeUpdate();
            }
        }) > 0;
    }

    @Override
    public List<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int max) {
        return query("load history", c -> {
            String sql = "SELECT " + MESSAGE_COLUMNS + " FROM l2ps_messages WHERE l2ps_uid = ? AND "
                    + "((from_digest = ? AND to_digest = ? AND from_key = ? AND to_key = ?) OR "
                    + "(from_digest = ? AND to_digest = ? AND from_key = ? AND to_key = ?))"
                    + (before == null ? "" : " AND sent_at < ?")
                    + " ORDER BY sent_at DESC, seq DESC LIMIT ?";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                String dm = digest(me);
                String dp = digest(peer);
                int i = 1;
                p.setString(i++, l2psUid);
                p.setString(i++, dm);
                p.setString(i++, dp);
                p.setString(i++, me);
                p.setString(i++, peer);
                p.setString(i++, dp);
                p.setString(i++, dm);
                p.setString(i++, peer);
                p.setString(i++, me);
                if (before != null) {
                    p.setLong(i++, before);
                }
                p.setInt(i, max);
                return readMessages(p);
            }
        });
    }

    @Override
    public long latestTimestamp(String l2psUid, String a, String b) {
        return query("find the latest timestamp", c -> {
            // One direction per query: each is a range of the (l2ps_uid, from_digest, to_digest, sent_at) index.
            // With both directions OR-ed in one WHERE, H2 uses the index for l2ps_uid only and reads every
            // message of the network, on every send to a conversation not in the clock's cache.
            try (PreparedStatement p = c.prepareStatement("SELECT MAX(sent_at) FROM l2ps_messages WHERE l2ps_uid = ? "
                    + "AND from_digest = ? AND to_digest = ?")) {
                String da = digest(a);
                String db = digest(b);
                return Math.max(maxSentAt(p, l2psUid, da, db), maxSentAt(p, l2psUid, db, da));
            }
        });
    }

    private static long maxSentAt(PreparedStatement p, String l2psUid, String fromDigest, String toDigest)
            throws SQLException {
        p.setString(1, l2psUid);
        p.setString(2, fromDigest);
        p.setString(3, toDigest);
        try (ResultSet r = p.executeQuery()) {
            r.next();
            long v = r.getLong(1);
            return r.wasNull() ? Long.MIN_VALUE : v;
        }
    }

    // --- L2PS pipeline -------------------------------------------------------------------------------

    @Override
    public List<String> networksWithPendingTransactions() {
        return query("find pending networks", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT l2ps_uid FROM l2ps_messages "
                    + "WHERE pipeline = ? AND l2ps_tx_hash IS NOT NULL ORDER BY l2ps_uid")) {
                p.setString(1, PipelineState.PENDING.column());
                List<String> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<L2psMessageRow> pendingTransactions(String l2psUid, int max) {
        return query("load pending transactions", c -> {
            // ORDER BY the whole index (pipeline, l2ps_uid, seq), not just seq: the first two are fixed by the WHERE,
            // so the order is the same, but only then does H2 walk the index in order and stop after LIMIT rows;
            // ORDER BY seq alone reads and sorts every pending row, on every call (quadratic under a backlog).
            try (PreparedStatement p = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM l2ps_messages "
                    + "WHERE pipeline = ? AND l2ps_uid = ? AND l2ps_tx_hash IS NOT NULL "
                    + "ORDER BY pipeline, l2ps_uid, seq LIMIT ?")) {
                p.setString(1, PipelineState.PENDING.column());
                p.setString(2, l2psUid);
                p.setInt(3, max);
                return readMessages(p);
            }
        });
    }

    @Override
    public void recordBatch(BatchRow batch, Collection<String> ids) {
        transaction("record batch", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO l2ps_batches (batch_hash, l2ps_uid, tx_count, "
                    + "tx_hashes, status, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, batch.batchHash());
                p.setString(2, batch.l2psUid());
                p.setInt(3, batch.txHashes().size());
                p.setString(4, String.join(",", batch.txHashes()));
                p.setString(5, PipelineState.BATCHED.column());
                p.setLong(6, batch.createdAt());
                p.executeUpdate();
            }
            for (List<String> chunk : chunks(ids)) {
                try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET pipeline = ?, batch_hash = ? "
                        + "WHERE pipeline = ? AND id IN (" + placeholders(chunk.size()) + ")")) {
                    p.setString(1, PipelineState.BATCHED.column());
                    p.setString(2, batch.batchHash());
                    p.setString(3, PipelineState.PENDING.column());
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setString(i + 4, chunk.get(i));
                    }
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void failTransactions(Collection<String> ids, String reason) {
        for (List<String> chunk : chunks(ids)) {
            update("record failed submission", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET pipeline = ?, failure_reason = ? "
                        + "WHERE id IN (" + placeholders(chunk.size()) + ")")) {
                    p.setString(1, PipelineState.FAILED.column());
                    setNullable(p, 2, reason);
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setString(i + 3, chunk.get(i));
                    }
                    return p.executeUpdate();
                }
            });
        }
    }

    @Override
    public List<BatchRow> batchesSubmittedBefore(long cutoff) {
        return query("load batches", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT batch_hash, l2ps_uid, tx_hashes, created_at "
                    + "FROM l2ps_batches WHERE status = ? AND created_at <= ? ORDER BY created_at, batch_hash")) {
                p.setString(1, PipelineState.BATCHED.column());
                p.setLong(2, cutoff);
                List<BatchRow> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String hashes = r.getString(3);
                        out.add(new BatchRow(r.getString(1), r.getString(2),
                                hashes.isEmpty() ? List.of() : Arrays.asList(hashes.split(",")), r.getLong(4)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<L2psMessageRow> confirmBatch(String batchHash, long now) {
        return transaction("confirm batch", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE l2ps_batches SET status = ?, confirmed_at = ? WHERE batch_hash = ? AND status = ?")) {
                p.setString(1, PipelineState.CONFIRMED.column());
                p.setLong(2, now);
                p.setString(3, batchHash);
                p.setString(4, PipelineState.BATCHED.column());
                if (p.executeUpdate() == 0) {
                    return List.of();
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE l2ps_messages SET pipeline = ? WHERE batch_hash = ? AND pipeline = ?")) {
                p.setString(1, PipelineState.CONFIRMED.column());
                p.setString(2, batchHash);
                p.setString(3, PipelineState.BATCHED.column());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM l2ps_messages "
                    + "WHERE batch_hash = ? ORDER BY seq")) {
                p.setString(1, batchHash);
                return readMessages(p);
            }
        });
    }

    // --- legacy offline messages ---------------------------------------------------------------------

    @Override
    public LegacyOfflineRow insertLegacyOffline(LegacyOfflineRow row) {
        return query("store offline message", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO legacy_offline_messages (recipient_id, "
                    + "recipient_digest, sender_id, message_hash, encrypted_content, signature, sent_at, status) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, row.recipientId());
                p.setString(2, digest(row.recipientId()));
                p.setString(3, row.senderId());
                p.setString(4, row.messageHash());
                p.setString(5, row.contentJson());
                p.setString(6, row.signature());
                p.setLong(7, row.timestamp());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    long id = keys.getLong(1);
                    return new LegacyOfflineRow(id, row.recipientId(), row.senderId(), row.messageHash(),
                            row.contentJson(), row.signature(), row.timestamp());
                }
            }
        });
    }

    @Override
    public void deleteLegacyOffline(long id) {
        update("delete offline message", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM legacy_offline_messages WHERE id = ?")) {
                p.setLong(1, id);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public List<LegacyOfflineRow> pendingLegacy(String recipientId) {
        return query("load legacy offline messages", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, recipient_id, sender_id, message_hash, "
                    + "encrypted_content, signature, sent_at FROM legacy_offline_messages "
                    + "WHERE recipient_digest = ? AND status = 'pending' AND recipient_id = ? ORDER BY sent_at, id")) {
                p.setString(1, digest(recipientId));
                p.setString(2, recipientId);
                List<LegacyOfflineRow> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new LegacyOfflineRow(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getString(5), r.getString(6), r.getLong(7)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void markLegacySent(Collection<Long> ids) {
        List<Long> list = new ArrayList<>(ids);
        for (int from = 0; from < list.size(); from += IN_CHUNK) {
            List<Long> chunk = list.subList(from, Math.min(list.size(), from + IN_CHUNK));
            update("mark offline messages sent", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE legacy_offline_messages SET status = 'sent' "
                        + "WHERE id IN (" + placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setLong(i + 1, chunk.get(i));
                    }
                    return p.executeUpdate();
                }
            });
        }
    }

    // --- proofs and keys -----------------------------------------------------------------------------

    @Override
    public boolean recordProofUse(String proofKey, long expiresAt) {
        try {
            update("record proof use", c -> {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO used_proofs (proof_digest, expires_at) VALUES (?, ?)")) {
                    p.setString(1, digest(proofKey));
                    p.setLong(2, expiresAt);
                    return p.executeUpdate();
                }
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public int purgeExpiredProofs(long now) {
        return update("purge used proofs", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM used_proofs WHERE expires_at < ?")) {
                p.setLong(1, now);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public void publishKemKey(String publicKey, String l2psUid, String kemPublicKey, long now) {
        String digest = digest(publicKey);
        for (int attempt = 0; ; attempt++) {
            int updated = update("publish KEM key", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE kem_keys SET kem_public_key = ?, updated_at = ?, "
                        + "public_key = ? WHERE key_digest = ? AND l2ps_uid = ?")) {
                    p.setString(1, kemPublicKey);
                    p.setLong(2, now);
                    p.setString(3, publicKey);
                    p.setString(4, digest);
                    p.setString(5, l2psUid);
                    return p.executeUpdate();
                }
            });
            if (updated > 0) {
                return;
            }
            try {
                update("publish KEM key", c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO kem_keys (key_digest, l2ps_uid, "
                            + "public_key, kem_public_key, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                        p.setString(1, digest);
                        p.setString(2, l2psUid);
                        p.setString(3, publicKey);
                        p.setString(4, kemPublicKey);
                        p.setLong(5, now);
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

    @Override
    public Optional<String> kemKey(String publicKey, String l2psUid) {
        return query("look up KEM key", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT kem_public_key FROM kem_keys "
                    + "WHERE key_digest = ? AND l2ps_uid = ? AND public_key = ?")) {
                p.setString(1, digest(publicKey));
                p.setString(2, l2psUid);
                p.setString(3, publicKey);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public String bindLegacyId(String clientId, String keyDigest, long now) {
        return query("bind legacy client id", c -> LegacyIdBindings.bind(c, clientId, keyDigest, now));
    }

    @Override
    public void close() {
        pool.close();
    }

    // --- helpers -------------------------------------------------------------------------------------

    private <T> T query(String what, JdbcPool.Work<T> work) {
        try {
            return pool.withConnection(work);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    private int update(String what, JdbcPool.Work<Integer> work) {
        return query(what, work);
    }

    private <T> T transaction(String what, JdbcPool.Work<T> work) {
        try {
            return pool.inTransaction(work);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    private static StoreException translate(String what, SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new DuplicateKeyException(what + ": duplicate key", e);
        }
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }

    private static List<L2psMessageRow> readMessages(PreparedStatement p) throws SQLException {
        List<L2psMessageRow> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new L2psMessageRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getLong(8),
                        DeliveryState.fromColumn(r.getString(9)), r.getBoolean(10),
                        PipelineState.fromColumn(r.getString(11)), r.getString(12), r.getString(13)));
            }
        }
        return out;
    }

    private static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> list = new ArrayList<>(ids);
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from < list.size(); from += IN_CHUNK) {
            out.add(list.subList(from, Math.min(list.size(), from + IN_CHUNK)));
        }
        return out;
    }
}
