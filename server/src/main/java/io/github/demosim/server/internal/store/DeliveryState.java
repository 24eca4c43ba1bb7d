package io.github.demosim.server.internal.store;

/**
 * Where a stored L2PS message stands with its recipient. Independent of {@link PipelineState}: the pipeline
 * never moves a message out of the queue, and delivery never changes the pipeline.
 */
public enum DeliveryState {
    /** Waiting in the offline queue; delivered when the recipient registers in the message's network. */
    QUEUED("queued"),
    /** Handed to a recipient that acknowledges (extension {@code ack}); redelivered until acknowledged. */
    PENDING_ACK("pending_ack"),
    /** Handed to the recipient live (for {@code ack} clients: live and acknowledged). */
    DELIVERED("delivered"),
    /** Handed to the recipient from the offline queue (for {@code ack} clients: and acknowledged). */
    SENT("sent"),
    /** Never deliverable: the L2PS layer refused the message when it was sent. */
    REJECTED("failed");

    private final String column;

    DeliveryState(String column) {
        this.column = column;
    }

    /**
     * Returns the value stored in the {@code delivery} column.
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
    public static DeliveryState fromColumn(String column) {
        for (DeliveryState s : values()) {
            if (s.column.equals(column)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown delivery state in the database: " + column);
    }
}
