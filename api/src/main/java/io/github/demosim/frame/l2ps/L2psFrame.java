package io.github.demosim.frame.l2ps;

import io.github.demosim.frame.Frame;

/**
 * A frame of the L2PS messaging protocol (port 3006, {@code l2ps.md}): the envelope
 * {@code {"type", "payload", "timestamp", "requestId"?}}.
 */
public sealed interface L2psFrame extends Frame permits L2psClientFrame, L2psServerFrame {

    /**
     * Returns the envelope timestamp. For {@code register} and {@code history} it is part of the signed proof.
     *
     * @return ms since the epoch, or {@code null} when the frame had none
     */
    Long timestamp();

    /**
     * Returns the correlation id: sent by clients on every request, echoed by this project's hardened server,
     * never echoed by the reference server ({@code l2ps.md} §2.1).
     *
     * @return the id, or {@code null}
     */
    String requestId();
}
