package io.github.demosim.frame.l2ps;

/** A frame a client sends to an L2PS messaging server ({@code l2ps.md} §3.1). */
public sealed interface L2psClientFrame extends L2psFrame
        permits Register, Send, History, Discover, RequestPublicKey, Ack, Challenge {
}
