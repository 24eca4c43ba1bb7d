package io.github.demosim.frame;

import io.github.demosim.frame.l2ps.L2psFrame;
import io.github.demosim.frame.legacy.LegacyFrame;

/**
 * One WebSocket message of either Demos messaging protocol, decoded.
 *
 * <p>The hierarchy is sealed: {@link L2psFrame} (port 3006) and {@link LegacyFrame} (port 3005), each split
 * by direction into client and server frames, each of those a sealed interface of records, so a
 * {@code switch} over frames is checked for completeness by the compiler.
 */
public sealed interface Frame permits L2psFrame, LegacyFrame {

    /**
     * Returns the frame's {@code type} as it appears on the wire.
     *
     * @return the wire type, e.g. {@code message_sent}
     */
    String type();
}
