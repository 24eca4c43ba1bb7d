package io.github.demosim.server.internal;

import io.github.demosim.server.ServerLimits;
import io.github.demosim.server.internal.store.QueueUsage;

/**
 * The bound on one recipient's offline queue, whatever the number of senders (both modes: the per-sender quotas
 * of the reference do not bound it, since keys cost nothing). Checked under the recipient's lock (L2PS) or the
 * offline storage lock (legacy), so concurrent senders cannot overshoot it together.
 */
public final class OfflineQueueBound {
    /** L2PS refusal text ({@code L2PS_SUBMIT_FAILED}). */
    public static final String L2PS_FULL = "Recipient's offline queue is full";
    /** Legacy refusal text ({@code INTERNAL_ERROR}, like the reference's quota error). */
    public static final String LEGACY_FULL = "Offline queue of the recipient is full. Please wait for recipient to "
            + "come online.";
    /**
     * Refusal text of both protocols while the database's disk is down to its reserve ({@code ServerLimits
     * .withDiskReserve}): L2PS {@code L2PS_SUBMIT_FAILED}, legacy {@code INTERNAL_ERROR}, the codes their other
     * storage refusals use.
     */
    public static final String STORAGE_FULL = "Server storage is full; try again later";

    private OfflineQueueBound() {
    }

    /**
     * Whether one more message fits.
     *
     * @param limits the limits
     * @param usage what the queue holds now
     * @param parts the new message's stored strings
     * @return whether it fits
     */
    public static boolean hasRoom(ServerLimits limits, QueueUsage usage, String... parts) {
        return usage.messages() < limits.offlineQueueMessages()
                && usage.bytes() + QueueUsage.sizeOf(parts) <= limits.offlineQueueBytes();
    }
}
