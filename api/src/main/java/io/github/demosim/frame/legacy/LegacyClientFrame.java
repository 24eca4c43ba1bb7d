package io.github.demosim.frame.legacy;

/** A frame a client sends to a legacy signaling server ({@code legacy-and-crypto.md} §A.2). */
public sealed interface LegacyClientFrame extends LegacyFrame
        permits Register, Discover, SendMessage, RequestPublicKey, DebugQuestion, PeerResponse {
}
