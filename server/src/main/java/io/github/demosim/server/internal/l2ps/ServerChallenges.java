package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.json.JsHex;

/**
 * Extension {@code server_challenge} (hardened): server-bound registration proofs. The reference proof signs
 * {@code register:<key>:<timestamp>} and binds neither the server, nor the network, nor the connection
 * (l2ps.md §5.2, §10 B2), so a register frame captured on the wire or by a server the victim registered at is
 * valid at any other server within the freshness window, and the replay guard only covers one database. A
 * client that asks ({@code {"type":"challenge"}}) gets a fresh random nonce for its connection and signs
 * {@code register-bound:<key>:<l2psUid>:<timestamp>:<nonce>} instead, which no other connection of any server
 * accepts. The prefix differs from {@code register:} so that a bound proof is never a valid reference proof
 * (a reference server takes the timestamp as any string, {@code register:<key>:<ts>:<l2psUid>:<nonce>} would be).
 */
final class ServerChallenges {
    /** The extension's name in {@code registered.features} and {@code register.features}. */
    static final String FEATURE = "server_challenge";
    /** Random bytes per nonce. */
    static final int NONCE_BYTES = 32;

    private final ServerCrypto crypto;

    ServerChallenges(ServerCrypto crypto) {
        this.crypto = crypto;
    }

    /** A fresh nonce, lowercase hex. */
    String newNonce() {
        return JsHex.encode(crypto.randomBytes(NONCE_BYTES));
    }

    /** The string a server-bound proof signs. */
    static String proofMessage(String publicKey, String l2psUid, String timestamp, String nonce) {
        return "register-bound:" + publicKey + ":" + l2psUid + ":" + timestamp + ":" + nonce;
    }

    /** The refusal of a reference proof when server-bound proofs are required. */
    static final String REQUIRED = "Server-bound proof required: send {\"type\":\"challenge\"}, sign "
            + "register-bound:<publicKey>:<l2psUid>:<timestamp>:<nonce> with the nonce of the challenge_response, and "
            + "list \"" + FEATURE + "\" in register.features";

    /** The refusal of a server-bound proof on a connection that has no challenge (or already used it). */
    static final String NO_CHALLENGE = "No challenge to sign on this connection (each one is good for one register): "
            + "send {\"type\":\"challenge\"} first";
}
