package io.github.demosim.server.internal.l2ps;

import java.util.Set;

/** The L2PS state of one connection: its bound identity, negotiated extensions and acknowledgement credit. */
final class L2psSession {
    /** Acknowledgements this connection may send without being paced. */
    final AckCredit ackCredit = new AckCredit();
    private String publicKey;
    private String l2psUid;
    private Set<String> features = Set.of();
    private String challenge;

    synchronized void bind(String publicKey, String l2psUid, Set<String> features) {
        this.publicKey = publicKey;
        this.l2psUid = l2psUid;
        this.features = Set.copyOf(features);
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
