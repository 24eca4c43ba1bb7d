package io.github.demosim.server.internal.store;

/** Where a stored L2PS message stands in the simulated L2PS pipeline. */
public enum PipelineState {
    /** In the L2PS mempool (or about to be admitted), waiting for a batch. */
    PENDING("l2ps_pending"),
    /** In a batch submitted to the main mempool, waiting for finality. */
    BATCHED("l2ps_batched"),
    /** Its batch reached finality. */
    CONFIRMED("l2ps_confirmed"),
    /** Admission or batch submission failed (terminal). */
    FAILED("failed");

    private final String column;

    PipelineState(String column) {
        this.column = column;
    }

    /**
     * Returns the value stored in the {@code pipeline} column, which is also the wire status.
     *
     * @return the column value
     */
    public String column() {
        return column;
    }

    /**
     * Reads a column value.
     *
     * @param column the stored value
     * @return the state
     */
    public static PipelineState fromColumn(String column) {
        for (PipelineState s : values()) {
            if (s.column.equals(column)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown pipeline state in the database: " + column);
    }
}
