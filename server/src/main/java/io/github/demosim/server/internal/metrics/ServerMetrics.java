package io.github.demosim.server.internal.metrics;

/**
 * What the server counts, as the protocol code reports it. Protocol code only calls these methods; whether
 * anything is recorded (and in which library) is decided once, at start: {@link #NONE} without an admin port,
 * the Prometheus implementation ({@code internal.admin.PrometheusMetrics}) with one. Implementations are
 * thread-safe and never throw; every method is cheap enough for the frame path.
 *
 * <p>{@code protocol} is {@code "l2ps"} or {@code "legacy"} (the connector names).
 */
public interface ServerMetrics {

    /** Records nothing. */
    ServerMetrics NONE = new ServerMetrics() {
    };

    /** The reason label of a refusal: the per-sender offline queue is full. */
    String OFFLINE_QUOTA = "offline_quota";

    /** The reason label of a refusal: the database's disk is down to the free space the server keeps. */
    String DISK_RESERVE = "disk_reserve";

    /**
     * A message was accepted from its sender (stored, or forwarded live).
     *
     * @param protocol the protocol
     */
    default void accepted(String protocol) {
    }

    /**
     * An accepted message went straight to its online recipient.
     *
     * @param protocol the protocol
     */
    default void deliveredLive(String protocol) {
    }

    /**
     * An accepted message was queued for an offline recipient.
     *
     * @param protocol the protocol
     */
    default void queued(String protocol) {
    }

    /**
     * Queued messages were delivered when their recipient came back.
     *
     * @param protocol the protocol
     * @param count how many
     */
    default void redelivered(String protocol, int count) {
    }

    /**
     * A recipient acknowledged a message (the L2PS {@code ack} extension).
     *
     * @param protocol the protocol
     */
    default void acknowledged(String protocol) {
    }

    /**
     * An error frame went out.
     *
     * @param protocol the protocol
     * @param code its code ({@code INVALID_MESSAGE}, ...)
     */
    default void error(String protocol, String code) {
    }

    /**
     * A frame or message was refused by a limit.
     *
     * @param protocol the protocol
     * @param reason {@link #OFFLINE_QUOTA} or {@link #DISK_RESERVE} (flood control paces instead of refusing:
     *     {@link #framePaced})
     */
    default void refused(String protocol, String reason) {
    }

    /**
     * A frame was held back (paced) instead of being refused, because its connection was over its rate.
     *
     * @param protocol the protocol
     */
    default void framePaced(String protocol) {
    }

    /**
     * One store write finished (or failed).
     *
     * @param operation the store method, e.g. {@code insert}
     * @param nanos how long it took
     */
    default void storeWrite(String operation, long nanos) {
    }
}
