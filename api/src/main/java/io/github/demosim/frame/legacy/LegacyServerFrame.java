package io.github.demosim.frame.legacy;

/** A frame a legacy signaling server sends to a client ({@code legacy-and-crypto.md} §A.3). */
public sealed interface LegacyServerFrame extends LegacyFrame
        permits RegisterAck, DiscoverResponse, PublicKeyResponse, IncomingMessage, MessageQueued,
                PeerDisconnected, ServerQuestion, ErrorFrame {
}
