package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.RateLimits;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The L2PS state of one connection: its bound identity, negotiated extensions, running offline drain,
 * challenge nonce and acknowledgement credit.
 */
final class L2psSession {
    /** Its pace (the flood-control buckets), told when the connection registers a key; {@code null} if none. */
    final RateLimits.FrameLimiter rateLimiter;
    /** Acknowledgements this connection may send without being paced. */
    final AckCredit ackCredit = new AckCredit();
    /** Acknowledgements of this connection waiting for their group commit. */
    final AtomicInteger acksInFlight = new AtomicInteger();
    /** Sends of this connection in the server (hardened: pipelined), and their ciphertext characters. */
    final AtomicInteger sendsInFlight = new AtomicInteger();
    final AtomicLong sendCharsInFlight = new AtomicLong();
    /** The order of this connection's replies (hardened), or {@code null}: replies go out when given. */
    final ReplySequencer<String> replies;
    private String publicKey;
    private String l2psUid;
    private Set<String> features = Set.of();
    private L2psDelivery.Drain drain;
    private String challenge;

    L2psSession(RateLimits.FrameLimiter rateLimiter, ReplySequencer<String> replies) {
        this.rateLimiter = rateLimiter;
        this.replies = replies;
    }

    synchronized void bind(String publicKey, String l2psUid, Set<String> features) {
        this.publicKey = publicKey;
        this.l2psUid = l2psUid;
        this.features = Set.copyOf(features);
        if (rateLimiter != null) {
            rateLimiter.registered("l2ps:" + publicKey);
        }
    }

    synchronized String publicKey() {
        return publicKey;
    }

    synchronized String l2psUid() {
        return l2psUid;
    }

    synchronized boolean has(String feature) {
        return features.contains(feature);
    }

    /** The offline drain running on this connection, or {@code null}. */
    synchronized L2psDelivery.Drain drain() {
        return drain;
    }

    synchronized void drain(L2psDelivery.Drain d) {
        this.drain = d;
    }

    synchronized void drainEnded(L2psDelivery.Drain d) {
        if (drain == d) {
            drain = null;
        }
    }

    /** Issues a challenge nonce (extension {@code server_challenge}); it replaces an unused one. */
    synchronized void challenge(String nonce) {
        this.challenge = nonce;
    }

    /** Takes the challenge nonce for a registration: each one signs one {@code register}, or {@code null}. */
    synchronized String takeChallenge() {
        String nonce = challenge;
        challenge = null;
        return nonce;
    }
}
