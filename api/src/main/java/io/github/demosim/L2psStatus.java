package io.github.demosim;

import java.util.Objects;

/**
 * The status of an L2PS message as the server reports it: in {@code message_sent}, {@code message_queued}, the
 * {@code message_status} push and each {@code history_response} entry ({@code l2ps.md} §3.2). A status this SDK
 * does not know (a newer server) is {@link #UNKNOWN}, never an exception.
 *
 * <p>The L2PS pipeline moves a sent message through {@link #L2PS_PENDING}, {@link #L2PS_BATCHED} and
 * {@link #L2PS_CONFIRMED} in that order, or to {@link #FAILED}.
 */
public enum L2psStatus {
    /** {@code delivered}: the recipient was online and got the message. */
    DELIVERED("delivered"),
    /** {@code queued}: stored for a recipient that was offline. */
    QUEUED("queued"),
    /** {@code sent}: handed to the recipient (a status some nodes store). */
    SENT("sent"),
    /** {@code submitted}: the reference node's {@code message_sent.l2psStatus}. */
    SUBMITTED("submitted"),
    /** {@code l2ps_pending}: waiting to be batched. */
    L2PS_PENDING("l2ps_pending"),
    /** {@code l2ps_batched}: in an L2PS batch. */
    L2PS_BATCHED("l2ps_batched"),
    /** {@code l2ps_confirmed}: the batch is final. */
    L2PS_CONFIRMED("l2ps_confirmed"),
    /** {@code failed}: the L2PS pipeline refused the message. */
    FAILED("failed"),
    /** A status this SDK does not know, or none; written as {@code unknown}. */
    UNKNOWN("unknown");

    private final String wireName;

    L2psStatus(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the status as the protocol writes it.
     *
     * @return e.g. {@code l2ps_confirmed}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a status as the protocol writes it.
     *
     * @param wireName e.g. {@code l2ps_batched}, or {@code null}
     * @return the status; {@link #UNKNOWN} for {@code null} or a name this SDK does not know
     */
    public static L2psStatus fromWire(String wireName) {
        for (L2psStatus s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /**
     * Returns whether this is a stage of the L2PS pipeline ({@code l2ps_pending}, {@code l2ps_batched},
     * {@code l2ps_confirmed}).
     *
     * @return {@code true} for a pipeline stage
     */
    public boolean isPipelineStage() {
        return this == L2PS_PENDING || this == L2PS_BATCHED || this == L2PS_CONFIRMED;
    }

    /**
     * Returns whether a message with this status has reached {@code wanted}: the same status, or for pipeline
     * stages a later one ({@code l2ps_confirmed} has reached {@code l2ps_batched}).
     *
     * @param wanted the status waited for
     * @return {@code true} if reached
     */
    public boolean hasReached(L2psStatus wanted) {
        Objects.requireNonNull(wanted, "wanted");
        return this == wanted || (isPipelineStage() && wanted.isPipelineStage() && ordinal() >= wanted.ordinal());
    }
}
