package io.github.demosim.frame.legacy;

import io.github.demosim.frame.Frame;

/**
 * A frame of the legacy signaling protocol (port 3005, {@code legacy-and-crypto.md} §A): the envelope
 * {@code {"type", "payload"}}, with no request ids and no timestamp.
 */
public sealed interface LegacyFrame extends Frame permits LegacyClientFrame, LegacyServerFrame {
}
