package io.github.demosim.server.internal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link MessageStore} over JDBC, on embedded H2 or PostgreSQL (the schema is {@link SchemaMigrations}).
 */
public final class JdbcMessageStore implements MessageStore {
    private static final System.Logger LOG = System.getLogger(JdbcMessageStore.class.getName());
    static final String UNIQUE_VIOLATION = "23505"; // same SQLSTATE in H2 and PostgreSQL
    /** Message rows without their bodies ({@code encryptedJson} null): what state changes and lookups need. */
    static final String MESSAGES = "SELECT m.id, m.from_key, m.to_key, m.l2ps_uid, m.message_hash, NULL, "
            + "m.l2ps_tx_hash, m.sent_at, m.delivery, m.via_queue, m.pipeline, m.batch_hash, m.failure_reason "
            + "FROM l2ps_messages m ";
    /** Message rows with their bodies: only for what is written to a client. */
    static final String MESSAGES_WITH_BODIES = MESSAGES.replace(", NULL, ", ", b.encrypted, ")
            + "JOIN l2ps_message_bodies b ON b.id = m.id ";

    private final JdbcPool pool;
    private final JdbcQueues queues;
    private final JdbcClaims claims;
    private final JdbcPipeline pipeline;
    /** Group commit of message inserts and acknowledgements, or {@code null} for one commit per write. */
    private final GroupCommit writer;
    /** An embedded H2 file's chunk rewriting, started once the schema is in place; {@code null} on others. */
    private H2Housekeeping housekeeping;
    /** The free disk space kept beside that file, or {@code null} for none. */
    private volatile DiskReserve diskReserve;

    private JdbcMessageStore(JdbcPool pool, int writers, java.time.Duration commitDelay) {
        this.pool = pool;
        this.writer = writers > 0 ? new GroupCommit(pool, writers, commitDelay) : null;
        this.queues = new JdbcQueues(this);
        this.claims = new JdbcClaims(this);
        this.pipeline = new JdbcPipeline(this);
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
        return open(url, user, password, poolSize, 1);
    }

    /**
     * Opens a store and brings its schema up to date.
     *
     * @param url JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...})
     * @param user user name, or {@code null} to use the URL's
     * @param password password, or {@code null}
     * @param poolSize number of connections, writers' included (each holds one per commit; reads wait without more)
     * @param writers writer threads grouping {@link #insertGrouped} and {@link #acknowledgeGrouped} into shared
     *     commits ({@link GroupCommit}); 0 for one commit per write
     * @return the store, its writers without a commit delay
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static JdbcMessageStore open(String url, String user, String password, int poolSize, int writers) {
        return open(url, user, password, poolSize, writers, java.time.Duration.ZERO);
    }

    /**
     * Opens a store and brings its schema up to date.
     *
     * @param url JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...})
     * @param user user name, or {@code null} to use the URL's
     * @param password password, or {@code null}
     * @param poolSize number of connections, writers' included (each holds one per commit; reads wait without more)
     * @param writers writer threads grouping {@link #insertGrouped} and {@link #acknowledgeGrouped} into shared
     *     commits ({@link GroupCommit}); 0 for one commit per write
     * @param commitDelay how long a writer that just made a small commit waits to gather writes into the next
     *     (GroupCommit's "Commit delay"); zero for never
     * @return the store
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static JdbcMessageStore open(String url, String user, String password, int poolSize, int writers,
            java.time.Duration commitDelay) {
        if (writers < 0 || poolSize < Math.max(1, writers)) {
            throw new IllegalArgumentException("a pool of " + poolSize + " database connections for " + writers
                    + " store writers: give it at least one per writer, and more for the reads beside them");
        }
        try {
            java.sql.DriverManager.getDriver(url);
        } catch (SQLException e) {
            // Before the pool: DriverManager's bare "No suitable driver" names neither the driver nor the fix.
            throw new StoreException("no JDBC driver for " + redact(url) + " is installed (" + e.getMessage() + ")"
                    + driverHint(url, e) + ". This server works with H2 (jdbc:h2:...) and PostgreSQL"
                    + " (jdbc:postgresql://...)", e);
        }
        JdbcPool pool;
        try {
            pool = new JdbcPool(url, user, password, poolSize);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + redact(url) + ": " + e.getMessage()
                    + driverHint(url, e), e);
        }
        JdbcMessageStore store = new JdbcMessageStore(pool, writers, commitDelay);
        try {
            int version = pool.withConnection(SchemaMigrations::apply);
            LOG.log(System.Logger.Level.DEBUG, "database {0} at schema version {1}", redact(url),
                    String.valueOf(version));
            store.checkWritable();
            if (DatabaseUrls.storage(url) == DatabaseUrls.Storage.H2_FILE) {
                store.housekeeping = H2Housekeeping.start(pool);
            }
        } catch (SQLException | StoreException e) {
            store.close();
            SQLException sql = e instanceof SQLException s ? s : (SQLException) e.getCause();
            if (readOnly(sql)) {
                throw new StoreException("the database " + redact(url) + " is read-only (" + sql.getMessage()
                        + "); the server writes every message it accepts: give it a database it can write (check "
                        + "the file's permissions and the disk, or the database user's rights)", e);
            }
            throw new StoreException("cannot prepare the schema of " + redact(url) + ": " + e.getMessage(), e);
        }
        return store;
    }

    private static boolean readOnly(SQLException e) {
        for (SQLException s = e; s != null; s = s.getCause() instanceof SQLException c ? c : null) {
            if ("90097".equals(s.getSQLState()) || "25006".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkWritable() {
        // Changes no row, but a read-only database refuses it all the same (H2 and PostgreSQL alike).
        update("check that the database accepts writes", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE demos_im_schema_version SET applied_at = applied_at WHERE version < 0");
            }
        });
    }

    @Override
    public void reopen() {
        try {
            pool.reopen();
        } catch (SQLException e) {
            throw translate("reopen the database", e);
        }
    }

    @Override
    public void onFatal(java.util.function.Consumer<StoreException> listener) {
        pool.onFatal(e -> listener.accept(translate("database", e)));
    }

    /**
     * The fix for DriverManager's "No suitable driver": it finds drivers with ServiceLoader, so on the module path
     * and in a jlink image the driver's module must be resolved explicitly (nothing {@code requires} it).
     */
    static String driverHint(String url, SQLException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("No suitable driver")) {
            return "";
        }
        if (url.startsWith("jdbc:h2:")) {
            return ". The H2 driver is missing: add com.h2database:h2 to the class path, or to the module path with"
                    + " --add-modules com.h2database; a jlink image needs H2 made an explicit module first"
                    + " (docs/jlink.md, \"The embedded server in your image\")";
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return ". The PostgreSQL driver is missing: add org.postgresql:postgresql to the class path, or to the"
                    + " module path with --add-modules org.postgresql.jdbc";
        }
        return ". No JDBC driver for this URL is present: add one; on the module path also name its module with"
                + " --add-modules";
    }

    /** The URL without a password parameter, for messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** SHA-256 hex of a string's UTF-8 bytes: the indexable stand-in for unbounded client strings. */
    static String digest(String s) {
        return HexFormat.of().formatHex(sha256(s));
    }

    /** Bytes of {@link #messageDigest}. */
    static final int MESSAGE_DIGEST_BYTES = 16;

    /**
     * The first 128 bits of {@link #digest}, as 32 hex characters: the index keys of {@code l2ps_messages}
     * (sender, recipient, message hash; migration 10). Every message writes them into four indexes and rewrites
     * its row three times, and H2 serialises a string a character at a time on every page it writes and compares
     * them whole inside every index search where the sender or recipient is the same: with half the characters
     * the server spent 7-25 % less CPU per message in paired runs (docs/performance.md, issue 16). 128 bits keep
     * the hash's unique index sound: a collision takes about 2^64 work, and the queries that return or change
     * rows compare the full strings too.
     */
    static String messageDigest(String s) {
        return HexFormat.of().formatHex(sha256(s), 0, MESSAGE_DIGEST_BYTES);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e); // required by the Java SE spec
        }
    }

    /** Batches the group commit has committed, or 0 without one (for tests). */
    long groupCommitBatches() {
        return writer == null ? 0 : writer.batches();
    }

    // --- L2PS messages -------------------------------------------------------------------------------

    @Override
    public Optional<L2psMessageRow> findByMessageHash(String messageHash) {
        return query("find message by hash", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    MESSAGES + "WHERE m.hash_digest = ? AND m.message_hash = ?")) {
                p.setString(1, messageDigest(messageHash));
                p.setString(2, messageHash);
                List<L2psMessageRow> rows = Sql.readMessages(p);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    @Override
    public void insert(L2psMessageRow m) {
        transaction("insert message", c -> L2psMessageWrites.insert(c, m));
    }

    @Override
    public CompletableFuture<Void> insertGrouped(L2psMessageRow row) {
        return writer == null ? MessageStore.super.insertGrouped(row) : writer.insert(row);
    }

    @Override
    public void markAdmitted(String id, String l2psTxHash) {
        update("record admission", c -> L2psMessageWrites.markAdmitted(c, id, l2psTxHash));
    }

    @Override
    public void markRejected(String id, String reason) {
        update("record refusal", c -> L2psMessageWrites.markRejected(c, id, reason));
    }

    @Override
    public List<L2psMessageRow> undelivered(String toKey, String l2psUid) {
        return queues.undeliveredPage(toKey, l2psUid, Page.Cursor.START, Integer.MAX_VALUE - 1, Long.MAX_VALUE).rows();
    }

    @Override
    public Page<L2psMessageRow> undeliveredPage(String toKey, String l2psUid, Page.Cursor after, int maxRows,
            long maxBytes) {
        return queues.undeliveredPage(toKey, l2psUid, after, maxRows, maxBytes);
    }

    @Override
    public QueueUsage undeliveredUsage(String toKey, String l2psUid) {
        return queues.undeliveredUsage(toKey, l2psUid);
    }

    @Override
    public List<String> queuedIds(String toKey, String l2psUid, int maxRows) {
        return queues.queuedIds(toKey, l2psUid, maxRows);
    }

    @Override
    public int queuedFrom(String fromKey, String l2psUid) {
        return queues.queuedFrom(fromKey, l2psUid);
    }

    @Override
    public void setDelivery(Collection<String> ids, DeliveryState state) {
        for (List<String> chunk : Sql.chunks(ids)) {
            update("update delivery state", c -> L2psMessageWrites.setDelivery(c, chunk, state));
        }
    }

    @Override
    public List<L2psMessageRow> rowsById(Collection<String> ids) {
        return claims.rows(ids);
    }

    @Override
    public List<L2psMessageRow> claimQueued(String toKey, Collection<String> ids, DeliveryState state) {
        return claims.claimQueued(toKey, ids, state);
    }

    @Override
    public void requeue(String id) {
        update("requeue", c -> L2psMessageWrites.requeue(c, id));
    }

    @Override
    public boolean acknowledge(String toKey, String messageHash) {
        return update("acknowledge", c -> L2psMessageWrites.acknowledge(c, toKey, messageHash)) > 0;
    }

    @Override
    public CompletableFuture<Boolean> acknowledgeGrouped(String toKey, String messageHash) {
        return writer == null ? MessageStore.super.acknowledgeGrouped(toKey, messageHash)
                : writer.acknowledge(toKey, messageHash);
    }

    @Override
    public List<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int max) {
        return queues.history(l2psUid, me, peer, before, max, Long.MAX_VALUE).rows();
    }

    @Override
    public Page<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int maxRows,
            long maxBytes) {
        return queues.history(l2psUid, me, peer, before, maxRows, maxBytes);
    }

    @Override
    public long latestTimestamp(String l2psUid, String a, String b) {
        return query("find the latest timestamp", c -> {
            // One direction per query: each is a range of the (l2ps_uid, from_digest, to_digest, sent_at) index.
            // With both directions OR-ed in one WHERE, H2 uses the index for l2ps_uid only and reads every
            // message of the network, on every send to a conversation not in the clock's cache.
            try (PreparedStatement p = c.prepareStatement("SELECT MAX(sent_at) FROM l2ps_messages WHERE l2ps_uid = ? "
                    + "AND from_digest = ? AND to_digest = ?")) {
                String da = messageDigest(a);
                String db = messageDigest(b);
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
        return pipeline.networksWithPendingTransactions();
    }

    @Override
    public List<L2psMessageRow> pendingTransactions(String l2psUid, int max) {
        return pipeline.pendingTransactions(l2psUid, max);
    }

    @Override
    public void recordRound(List<PipelineRound> batches) {
        pipeline.recordRound(batches);
    }

    @Override
    public List<BatchRow> batchesSubmittedBefore(long cutoff, int max) {
        return pipeline.batchesSubmittedBefore(cutoff, max);
    }

    @Override
    public List<L2psMessageRow> confirmBatches(List<String> batchHashes, long now) {
        return pipeline.confirmBatches(batchHashes, now);
    }

    // --- legacy offline messages ---------------------------------------------------------------------

    @Override
    public LegacyOfflineRow insertLegacyOffline(LegacyOfflineRow row) {
        return queues.insertLegacyOffline(row);
    }

    @Override
    public void deleteLegacyOffline(long id) {
        queues.deleteLegacyOffline(id);
    }

    @Override
    public List<LegacyOfflineRow> pendingLegacy(String recipientId) {
        return queues.pendingLegacyPage(recipientId, Page.Cursor.START, Integer.MAX_VALUE - 1, Long.MAX_VALUE).rows();
    }

    @Override
    public Page<LegacyOfflineRow> pendingLegacyPage(String recipientId, Page.Cursor after, int maxRows,
            long maxBytes) {
        return queues.pendingLegacyPage(recipientId, after, maxRows, maxBytes);
    }

    @Override
    public QueueUsage pendingLegacyUsage(String recipientId) {
        return queues.pendingLegacyUsage(recipientId);
    }

    @Override
    public void markLegacySent(Collection<Long> ids) {
        queues.markLegacySent(ids);
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
    public void publishKemKey(String publicKey, String l2psUid, String kemPublicKey, List<String> features,
            long now) {
        KemKeys.publish(this, publicKey, l2psUid, kemPublicKey, features, now);
    }

    @Override
    public Optional<KemKeyEntry> kemKey(String publicKey, String l2psUid) {
        return query("look up KEM key", c -> KemKeys.get(c, publicKey, l2psUid));
    }

    @Override
    public String bindLegacyId(String clientId, String keyDigest, long now) {
        return query("bind legacy client id", c -> LegacyIdBindings.bind(c, clientId, keyDigest, now));
    }

    @Override
    public void putLegacyPeerKey(String clientId, String publicKeyJson, long now) {
        query("record legacy public key", c -> { // auto-commit: a lost insert race is retried as an update
            LegacyPeerKeys.put(c, clientId, publicKeyJson, now);
            return null;
        });
    }

    @Override
    public Optional<String> legacyPeerKey(String clientId) {
        return query("read legacy public key", c -> LegacyPeerKeys.get(c, clientId));
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        if (writer != null) {
            writer.close(); // commits what is queued while the pool is still open
        }
        pool.close();
    }

    @Override
    public long fileBytes() {
        H2Housekeeping h = housekeeping;
        return h == null ? -1 : h.fileBytes();
    }

    /**
     * Keeps free space on the disk of an embedded H2 file: {@link #diskReserveReached()} answers from then on. No
     * effect on other databases (those without the file's housekeeping).
     *
     * @param bytes bytes to keep free, 0 for none
     * @throws StoreException if the database cannot be asked for its file
     */
    public void reserveDisk(long bytes) {
        if (housekeeping == null || bytes == 0) {
            return;
        }
        String file;
        try {
            file = pool.withConnection(H2Housekeeping::fileNameOf);
        } catch (SQLException e) {
            throw translate("find the H2 database file", e);
        }
        if (file != null) {
            diskReserve = new DiskReserve(bytes, DiskReserve.usableSpaceOf(file), System::nanoTime);
        }
    }

    @Override
    public boolean diskReserveReached() {
        DiskReserve d = diskReserve;
        return d != null && d.reached();
    }

    /** Stops the H2 file housekeeping's thread (for tests: the file without it, or driven by the test). */
    void stopHousekeeping() {
        if (housekeeping != null) {
            housekeeping.close();
        }
    }

    /**
     * One run of the H2 file housekeeping, on the caller's thread (for tests, with its thread stopped).
     *
     * @return whether it rewrote chunks; false where there is no housekeeping
     */
    boolean housekeepNow() {
        return housekeeping != null && housekeeping.runOnce();
    }

    // --- helpers -------------------------------------------------------------------------------------

    <T> T query(String what, JdbcPool.Work<T> work) {
        try {
            return pool.withConnection(work);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    int update(String what, JdbcPool.Work<Integer> work) {
        return query(what, work);
    }

    <T> T transaction(String what, JdbcPool.Work<T> work) {
        try {
            return pool.inTransaction(work);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    static StoreException translate(String what, SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new DuplicateKeyException(what + ": duplicate key", e);
        }
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}
