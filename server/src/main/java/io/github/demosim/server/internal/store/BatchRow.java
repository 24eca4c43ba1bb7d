package io.github.demosim.server.internal.store;

import java.util.List;

/**
 * One simulated L2PS batch ({@code l2ps_batches}).
 *
 * @param batchHash SHA-256 hex of {@code L2PS_BATCH_<uid>:<count>:<sorted tx hashes joined by ",">}
 * @param l2psUid the network
 * @param txHashes the L2PS transaction hashes in the batch
 * @param createdAt when it was submitted, ms
 */
public record BatchRow(String batchHash, String l2psUid, List<String> txHashes, long createdAt) {
    /**
     * Copies the hash list.
     *
     * @param batchHash batch hash
     * @param l2psUid network
     * @param txHashes transaction hashes
     * @param createdAt submission time
     */
    public BatchRow {
        txHashes = List.copyOf(txHashes);
    }
}
