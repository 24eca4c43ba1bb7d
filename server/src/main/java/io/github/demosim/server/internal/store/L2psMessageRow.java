package io.github.demosim.server.internal.store;

/**
 * One row of {@code l2ps_messages}.
 *
 * @param id server-generated UUID
 * @param from sender key as registered
 * @param to recipient as sent
 * @param l2psUid the sender's network at send time
 * @param messageHash the client's dedup hash
 * @param encryptedJson the {@code encrypted} object as compact JSON text, or {@code null} where the read did not
 *     load bodies (only reads that hand messages to clients do)
 * @param l2psTxHash the simulated L2PS transaction hash, {@code null} until admitted (and when refused)
 * @param timestamp server receive time, ms
 * @param delivery delivery state
 * @param viaQueue whether the message went through the offline queue (decides {@code sent} vs {@code delivered})
 * @param pipeline pipeline state
 * @param batchHash the batch it is in, or {@code null}
 * @param failureReason why admission or submission failed, or {@code null}
 */
public record L2psMessageRow(String id, String from, String to, String l2psUid, String messageHash,
        String encryptedJson, String l2psTxHash, long timestamp, DeliveryState delivery, boolean viaQueue,
        PipelineState pipeline, String batchHash, String failureReason) {

    /**
     * The single {@code status} the wire reports (history): {@code failed} once the pipeline failed; else
     * {@code queued} while the recipient does not have the message; else the pipeline state once the message is
     * batched or confirmed; else {@code delivered} (live) or {@code sent} (from the queue).
     *
     * @return the wire status
     */
    public String wireStatus() {
        if (pipeline == PipelineState.FAILED || delivery == DeliveryState.REJECTED) {
            return "failed";
        }
        if (delivery == DeliveryState.QUEUED || delivery == DeliveryState.PENDING_ACK) {
            return "queued";
        }
        if (pipeline == PipelineState.BATCHED || pipeline == PipelineState.CONFIRMED) {
            return pipeline.column();
        }
        return delivery.column();
    }
}
