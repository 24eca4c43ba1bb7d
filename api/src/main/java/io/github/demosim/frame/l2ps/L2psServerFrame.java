package io.github.demosim.frame.l2ps;

/** A frame an L2PS messaging server sends to a client ({@code l2ps.md} §3.2). */
public sealed interface L2psServerFrame extends L2psFrame
        permits Registered, Message, MessageSent, MessageQueued, HistoryResponse, DiscoverResponse,
                PublicKeyResponse, PeerJoined, PeerLeft, ErrorFrame, MessageStatus, ChallengeResponse {
}
