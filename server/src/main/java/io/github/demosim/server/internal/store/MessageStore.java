package io.github.demosim.server.internal.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the server persists: L2PS messages with their delivery and pipeline states, L2PS batches,
 * legacy offline messages, used proofs (replay guard), the ML-KEM key directory and which key holds each legacy
 * client id. Thread-safe. Every
 * method throws {@link StoreException} when the database fails.
 */
public interface MessageStore extends AutoCloseable {

    // --- L2PS messages -------------------------------------------------------------------------------

    /**
     * Finds the message with a hash (hashes are unique across senders and networks, as in the reference).
     *
     * @param messageHash the client's hash
     * @return the row, without its body
     */
    Optional<L2psMessageRow> findByMessageHash(String messageHash);

    /**
     * Inserts a new message.
     *
     * @param row the row
     * @throws DuplicateKeyException if the hash is already stored
     */
    void insert(L2psMessageRow row);

    /**
     * Inserts a new message in a commit shared with the other writes waiting (group commit, where the store has
     * it; else in a commit of its own, before returning).
     *
     * @param row the row
     * @return completes once the row is durable; fails with {@link DuplicateKeyException} if the hash is already
     *     stored (only this row fails), or {@link StoreException}
     */
    default CompletableFuture<Void> insertGrouped(L2psMessageRow row) {
        try {
            insert(row);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Records a successful L2PS admission.
     *
     * @param id message id
     * @param l2psTxHash the transaction hash
     */
    void markAdmitted(String id, String l2psTxHash);

    /**
     * Records a refused L2PS admission: delivery {@code failed}, pipeline {@code failed}.
     *
     * @param id message id
     * @param reason the refusal text
     */
    void markRejected(String id, String reason);

    /**
     * The messages a recipient has not got yet ({@code queued} or {@code pending_ack}) in one network, oldest
     * first (server time, then insertion order).
     *
     * @param toKey recipient
     * @param l2psUid network
     * @return the rows
     */
    List<L2psMessageRow> undelivered(String toKey, String l2psUid);

    /**
     * One page of {@link #undelivered}: the messages after a position, at most {@code maxRows} and, past the
     * first, at most {@code maxBytes} of stored size.
     *
     * @param toKey recipient
     * @param l2psUid network
     * @param after where the previous page ended ({@link Page.Cursor#START} for the first)
     * @param maxRows rows at most (1 or more)
     * @param maxBytes stored bytes at most, except that a page always holds at least one row
     * @return the page, with its rows' bodies
     */
    Page<L2psMessageRow> undeliveredPage(String toKey, String l2psUid, Page.Cursor after, int maxRows, long maxBytes);

    /**
     * How much a recipient's queue holds in one network ({@code queued} and {@code pending_ack}).
     *
     * @param toKey recipient
     * @param l2psUid network
     * @return messages and stored bytes
     */
    QueueUsage undeliveredUsage(String toKey, String l2psUid);

    /**
     * How many messages a sender sent in one network still wait in offline queues ({@code queued}, sent while
     * their recipient was offline): on a cluster, the part of its offline quota that outlives a move to another
     * node (docs/cluster.md). A sender's sends all go to the network it registered in.
     *
     * @param fromKey sender
     * @param l2psUid network
     * @return messages
     */
    int queuedFrom(String fromKey, String l2psUid);

    /**
     * The ids of the oldest messages still {@code queued} for a recipient in one network, in conversation order,
     * without their bodies (cheap: the queue index alone).
     *
     * @param toKey recipient
     * @param l2psUid network
     * @param maxRows at most this many
     * @return ids, oldest first
     */
    List<String> queuedIds(String toKey, String l2psUid, int maxRows);

    /**
     * Messages by id, with their bodies (a cluster notice names rows), in their conversation order (timestamp,
     * then insertion); ids not found are left out.
     *
     * @param ids message ids
     * @return the rows
     */
    List<L2psMessageRow> rowsById(Collection<String> ids);

    /**
     * Claims queued messages for one delivery: those of the ids still {@code queued} and addressed to
     * {@code toKey} move to {@code state}, in a conditional update, so two claimers never both get one row.
     *
     * @param toKey the recipient
     * @param ids message ids
     * @param state the state they move to ({@code pending_ack} or {@code delivered})
     * @return the claimed rows, with their bodies, in conversation order
     */
    List<L2psMessageRow> claimQueued(String toKey, Collection<String> ids, DeliveryState state);

    /**
     * Sets the delivery state of messages.
     *
     * @param ids message ids
     * @param state the new state
     */
    void setDelivery(Collection<String> ids, DeliveryState state);

    /**
     * Puts a message whose live delivery failed back into the offline queue (it then counts as queued:
     * delivered later from the queue, {@code sent} once handed over).
     *
     * @param id message id
     */
    void requeue(String id);

    /**
     * Acknowledges a message handed to an {@code ack} client: {@code pending_ack} becomes {@code delivered}
     * (live) or {@code sent} (from the queue). Acknowledging anything else changes nothing.
     *
     * @param toKey the acknowledging recipient
     * @param messageHash the message
     * @return whether a pending message was acknowledged
     */
    boolean acknowledge(String toKey, String messageHash);

    /**
     * {@link #acknowledge} in a commit shared with the other writes waiting (group commit, where the store has
     * it).
     *
     * @param toKey the acknowledging recipient
     * @param messageHash the message
     * @return completes, once durable, with whether a pending message was acknowledged
     */
    default CompletableFuture<Boolean> acknowledgeGrouped(String toKey, String messageHash) {
        try {
            return CompletableFuture.completedFuture(acknowledge(toKey, messageHash));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * One page of the conversation between two keys in a network, newest first.
     *
     * @param l2psUid network
     * @param me one side
     * @param peer the other side
     * @param before only messages strictly older than this server time, or {@code null}
     * @param max how many rows at most
     * @return the rows
     */
    List<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int max);

    /**
     * One page of the conversation, newest first, bounded in rows and, past the first, in stored bytes.
     *
     * @param l2psUid network
     * @param me one side
     * @param peer the other side
     * @param before only messages strictly older than this server time, or {@code null}
     * @param maxRows rows at most
     * @param maxBytes stored bytes at most, except that a page always holds at least one row
     * @return the page; {@code next} is non-null when older messages remain
     */
    Page<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int maxRows, long maxBytes);

    /**
     * The latest server timestamp in the conversation between two keys in a network.
     *
     * @param l2psUid network
     * @param a one side
     * @param b the other side
     * @return the timestamp, or {@link Long#MIN_VALUE} if there is none
     */
    long latestTimestamp(String l2psUid, String a, String b);

    // --- L2PS pipeline -------------------------------------------------------------------------------

    /**
     * Networks with admitted messages waiting for a batch.
     *
     * @return network uids
     */
    List<String> networksWithPendingTransactions();

    /**
     * Admitted messages waiting for a batch, oldest first.
     *
     * @param l2psUid network
     * @param max how many at most
     * @return the rows
     */
    List<L2psMessageRow> pendingTransactions(String l2psUid, int max);

    /**
     * Records what a pipeline round decided, in one transaction: each accepted batch is stored and its messages
     * move to {@code l2ps_batched}; each refused one's messages move to pipeline {@code failed} (delivery untouched).
     * One commit for a round's batches (20) instead of one each
     * (a commit costs what hundreds of row updates cost, docs/performance.md issue 16).
     *
     * @param batches the round's batches
     */
    void recordRound(List<PipelineRound> batches);

    /**
     * Batches submitted at or before a time and not yet confirmed, the oldest first, at most {@code max} of them
     * (each holds its transactions' hashes: a backlog is read a page at a time).
     *
     * @param cutoff time, ms
     * @param max how many at most
     * @return the batches, oldest first
     */
    List<BatchRow> batchesSubmittedBefore(long cutoff, int max);

    /**
     * Confirms batches and their messages in one transaction. A batch confirmed already (by another node) is
     * skipped.
     *
     * @param batchHashes the batches
     * @param now confirmation time
     * @return the messages confirmed, batch by batch
     */
    List<L2psMessageRow> confirmBatches(List<String> batchHashes, long now);

    // --- legacy offline messages ---------------------------------------------------------------------

    /**
     * Stores a legacy offline message.
     *
     * @param row the row (its id is ignored)
     * @return the stored row with its id
     * @throws DuplicateKeyException if the hash is already stored
     */
    LegacyOfflineRow insertLegacyOffline(LegacyOfflineRow row);

    /**
     * Deletes a legacy offline message (its chain write failed).
     *
     * @param id row id
     */
    void deleteLegacyOffline(long id);

    /**
     * Pending legacy messages for a client id, oldest first.
     *
     * @param recipientId the client id
     * @return the rows
     */
    List<LegacyOfflineRow> pendingLegacy(String recipientId);

    /**
     * One page of {@link #pendingLegacy}, bounded like {@link #undeliveredPage}.
     *
     * @param recipientId the client id
     * @param after where the previous page ended ({@link Page.Cursor#START} for the first)
     * @param maxRows rows at most
     * @param maxBytes stored bytes at most, except that a page always holds at least one row
     * @return the page
     */
    Page<LegacyOfflineRow> pendingLegacyPage(String recipientId, Page.Cursor after, int maxRows, long maxBytes);

    /**
     * How much a legacy client id's offline queue holds.
     *
     * @param recipientId the client id
     * @return messages and stored bytes
     */
    QueueUsage pendingLegacyUsage(String recipientId);

    /**
     * Marks legacy messages sent.
     *
     * @param ids row ids
     */
    void markLegacySent(Collection<Long> ids);

    // --- proofs and keys -----------------------------------------------------------------------------

    /**
     * Records that a proof was used, unless it already was.
     *
     * @param proofKey what identifies the proof (key, proof string)
     * @param expiresAt when the record may be forgotten (the proof's timestamp is stale by then)
     * @return {@code true} if this is the first use
     */
    boolean recordProofUse(String proofKey, long expiresAt);

    /**
     * Forgets used proofs whose timestamps are stale anyway.
     *
     * @param now current time
     * @return how many were removed
     */
    int purgeExpiredProofs(long now);

    /**
     * Publishes (or replaces) the ML-KEM public key of an L2PS key in a network, with the client extensions it
     * publishes for its peers.
     *
     * @param publicKey the Ed25519 key as registered
     * @param l2psUid network
     * @param kemPublicKey base64 of the ML-KEM-768 public key
     * @param features client extensions, e.g. {@code envelope}; short names without commas
     * @param now time
     */
    void publishKemKey(String publicKey, String l2psUid, String kemPublicKey, List<String> features, long now);

    /**
     * Looks up a published ML-KEM key.
     *
     * @param publicKey the Ed25519 key
     * @param l2psUid network
     * @return the base64 key and the client extensions published with it
     */
    Optional<KemKeyEntry> kemKey(String publicKey, String l2psUid);

    /**
     * A key directory entry.
     *
     * @param kemPublicKey base64 of the ML-KEM-768 public key
     * @param features the client extensions published with it
     */
    record KemKeyEntry(String kemPublicKey, List<String> features) {
    }

    // --- health --------------------------------------------------------------------------------------

    /**
     * Checks that the database accepts writes (at start, and when it comes back after a failure).
     *
     * @throws StoreException if it does not (read-only, gone...)
     */
    void checkWritable();

    /**
     * Closes every connection and opens the database again, after a failure that broke it.
     *
     * @throws StoreException if it cannot be opened
     */
    void reopen();

    /**
     * Sets who is told of failures that mean the database itself is broken, not one statement (connection
     * lost, database closed by itself, read-only, out of memory inside it). Called on the failing thread.
     *
     * @param listener the listener
     */
    void onFatal(java.util.function.Consumer<StoreException> listener);

    // --- legacy client ids (hardened) -----------------------------------------------------------------

    /**
     * Binds a legacy client id to the key that proved it, unless the id is bound already. Bindings are never
     * removed.
     *
     * @param clientId the client id
     * @param keyDigest SHA-256 hex of the ML-DSA-65 public key whose proof registered it
     * @param now time
     * @return the digest of the key the id is bound to: {@code keyDigest} if this call bound it or it was bound
     *     to that key before, another one if another key holds the id
     */
    String bindLegacyId(String clientId, String keyDigest, long now);

    /**
     * Records the public key a legacy client id registered (clustered nodes: the others answer key lookups from it).
     *
     * @param clientId the id
     * @param publicKeyJson the key as registered, JSON text
     * @param now ms since epoch
     */
    void putLegacyPeerKey(String clientId, String publicKeyJson, long now);

    /**
     * The public key a legacy client id registered last, as recorded by {@link #putLegacyPeerKey}.
     *
     * @param clientId the id
     * @return the key as JSON text, or empty
     */
    Optional<String> legacyPeerKey(String clientId);

    /** Closes the connections. */
    @Override
    void close();

    /**
     * The size of the database's file, where the store has a file of its own (an embedded H2 database), for the
     * operator to watch (docs/server.md, "The H2 file's housekeeping").
     *
     * @return bytes, or -1 where there is no such file or its size is not known yet
     */
    default long fileBytes() {
        return -1;
    }

    /**
     * Whether the disk of the database's file has less free space than the server keeps free
     * ({@code ServerLimits.withDiskReserve}); new messages are refused while it does. Cheap: the free space is read
     * at most every 100 ms.
     *
     * @return {@code false} where the server sees no such disk (PostgreSQL, an H2 server, a database in memory)
     */
    default boolean diskReserveReached() {
        return false;
    }
}
