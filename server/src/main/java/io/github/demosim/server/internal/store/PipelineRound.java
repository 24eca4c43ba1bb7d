package io.github.demosim.server.internal.store;

import java.util.List;

/**
 * What one pipeline round decided for one group of pending messages: a batch submitted, or a submission refused.
 *
 * @param batch the batch submitted; for a refused one, its hash, network and transactions (not recorded)
 * @param ids the batch's message ids
 * @param failure why the submission was refused, or {@code null} if it was accepted
 */
public record PipelineRound(BatchRow batch, List<String> ids, String failure) {
    /**
     * Copies the id list.
     *
     * @param batch the batch
     * @param ids its message ids
     * @param failure the refusal, or {@code null}
     */
    public PipelineRound {
        ids = List.copyOf(ids);
    }

    /** Whether the submission was accepted (the batch is recorded). */
    public boolean accepted() {
        return failure == null;
    }
}
