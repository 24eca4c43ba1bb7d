package io.github.demosim.internal.l2ps;

import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.internal.peer.InboundError;
import java.util.Set;

/**
 * Reads an L2PS error frame: which kind of request its text points to, from the reference node's exact
 * texts ({@code l2ps.md} §4.4). A reference node echoes no request id, so this is what lets an error fail the
 * request it belongs to rather than merely the oldest one; a text that points nowhere ({@code INTERNAL_ERROR},
 * {@code Invalid JSON}, an unknown text) falls back to the oldest waiting request.
 */
final class L2psErrors {
    private static final String UNKNOWN_TYPE = "Unknown type: ";

    private L2psErrors() {
    }

    static InboundError read(ErrorFrame f) {
        return new InboundError(f.code(), f.message(), f.requestId(), kinds(f.code(), f.message()), null);
    }

    static Set<String> kinds(String code, String message) {
        String m = message == null ? "" : message;
        switch (code) {
            case "L2PS_NOT_FOUND":
                return Set.of(Register.TYPE);
            case "L2PS_SUBMIT_FAILED":
                return Set.of(Send.TYPE);
            case "INVALID_PROOF":
                // "Signature verification failed" and "Proof verification error: <detail>" come from register;
                // "History proof failed" and the bare "Proof verification error" from history
                return m.startsWith("History") || m.equals("Proof verification error")
                        ? Set.of(History.TYPE) : Set.of(Register.TYPE);
            case "REGISTRATION_REQUIRED":
                if (m.equals("Register before sending")) {
                    return Set.of(Send.TYPE);
                }
                if (m.equals("Register first")) {
                    return Set.of(History.TYPE);
                }
                if (m.equals("Register before discovering peers")) {
                    return Set.of(Discover.TYPE);
                }
                if (m.equals("Register before requesting public keys")) {
                    return Set.of(RequestPublicKey.TYPE);
                }
                return Set.of(Send.TYPE, History.TYPE, Discover.TYPE,
                        RequestPublicKey.TYPE);
            case "INVALID_MESSAGE":
                return invalidMessageKinds(m);
            default:
                return Set.of();
        }
    }

    private static Set<String> invalidMessageKinds(String m) {
        if (m.startsWith("Missing publicKey") || m.startsWith("Invalid publicKey")) {
            return Set.of(Register.TYPE);
        }
        if (m.startsWith("Missing to,") || m.startsWith("Encrypted payload") || m.startsWith("Ciphertext too large")
                || m.startsWith("Cannot send message to yourself")) {
            return Set.of(Send.TYPE);
        }
        if (m.startsWith("Missing peerKey")) {
            return Set.of(History.TYPE);
        }
        if (m.startsWith("Missing targetId")) {
            return Set.of(RequestPublicKey.TYPE);
        }
        if (m.startsWith(UNKNOWN_TYPE)) {
            return Set.of(m.substring(UNKNOWN_TYPE.length()));
        }
        return Set.of();
    }
}
