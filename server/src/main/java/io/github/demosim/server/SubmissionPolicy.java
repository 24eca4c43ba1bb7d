package io.github.demosim.server;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the simulated chain accepts what the server submits: the fault hook of the L2PS pipeline.
 * The default, {@link #acceptAll()}, accepts everything; tests and demos plug in refusals to see the
 * failure paths.
 *
 * <p>Methods are called from server threads, possibly concurrently; implementations must be thread-safe and
 * fast (they run inside request handling). An exception thrown here counts as a refusal whose reason is the
 * exception's message.
 */
public interface SubmissionPolicy {

    /**
     * Called when an L2PS message enters the L2PS mempool, before anyone is told about it. The server then stores
     * the message once, in the state this decides (the reference stores it first and records the decision in
     * two more writes; no client can tell the difference, and one write per message is a third of the cost). A refusal fails the send: the sender gets {@code L2PS_SUBMIT_FAILED} with the reason, the recipient
     * nothing, and history shows the message {@code failed} (l2ps.md §5.4 d).
     *
     * @param transaction the transaction
     * @return empty to accept, or the refusal reason (sent to the client as the error message)
     */
    default Optional<String> admitTransaction(Transaction transaction) {
        return Optional.empty();
    }

    /**
     * Called when a batch of L2PS transactions is submitted to the main mempool. A refusal marks every message
     * of the batch {@code failed} in the pipeline; delivery is not affected.
     *
     * @param batch the batch
     * @return empty to accept, or the failure reason
     */
    default Optional<String> submitBatch(Batch batch) {
        return Optional.empty();
    }

    /**
     * Called when a legacy message is written to the chain (both live and offline messages are, before
     * delivery). A refusal answers {@code INTERNAL_ERROR} {@code Failed to store message} (live) or
     * {@code Failed to store offline message} (offline) and the message is not delivered (legacy-and-crypto.md §A.8).
     *
     * @param message the message
     * @return empty to accept, or the failure reason (logged)
     */
    default Optional<String> recordLegacyMessage(LegacyMessage message) {
        return Optional.empty();
    }

    /**
     * Returns the policy that accepts everything.
     *
     * @return the policy
     */
    static SubmissionPolicy acceptAll() {
        return AcceptAll.INSTANCE;
    }

    /**
     * An L2PS transaction carrying one message.
     *
     * @param l2psUid the network
     * @param from sender key
     * @param to recipient as addressed
     * @param messageHash the client's message hash
     * @param l2psTxHash the transaction hash (see docs/server.md)
     */
    record Transaction(String l2psUid, String from, String to, String messageHash, String l2psTxHash) {
        /**
         * Checks for nulls.
         *
         * @param l2psUid network
         * @param from sender
         * @param to recipient
         * @param messageHash message hash
         * @param l2psTxHash transaction hash
         */
        public Transaction {
            Objects.requireNonNull(l2psUid, "l2psUid");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(messageHash, "messageHash");
            Objects.requireNonNull(l2psTxHash, "l2psTxHash");
        }
    }

    /**
     * A batch of L2PS transactions of one network.
     *
     * @param l2psUid the network
     * @param batchHash the batch hash (see docs/server.md)
     * @param txHashes the transaction hashes, oldest first
     */
    record Batch(String l2psUid, String batchHash, List<String> txHashes) {
        /**
         * Copies the list.
         *
         * @param l2psUid network
         * @param batchHash batch hash
         * @param txHashes transaction hashes
         */
        public Batch {
            Objects.requireNonNull(l2psUid, "l2psUid");
            Objects.requireNonNull(batchHash, "batchHash");
            txHashes = List.copyOf(txHashes);
        }
    }

    /**
     * A legacy message about to be written to the chain.
     *
     * @param senderId the sender's client id
     * @param targetId the target id as sent
     * @param targetOnline whether the target is connected (live delivery) or not (offline store)
     */
    record LegacyMessage(String senderId, String targetId, boolean targetOnline) {
    }
}
