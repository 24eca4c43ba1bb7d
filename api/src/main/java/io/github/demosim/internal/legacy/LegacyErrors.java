package io.github.demosim.internal.legacy;

import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RequestPublicKey;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.internal.peer.InboundError;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a legacy error frame: which kind of request its {@code details} point to, from the reference
 * server's exact texts ({@code legacy-and-crypto.md} §A.7), and for {@code PEER_NOT_FOUND} which client id.
 * The protocol has no request ids, so this is the only correlation errors have.
 */
final class LegacyErrors {
    private static final Pattern PEER_NOT_FOUND = Pattern.compile("Target peer (.*) not found");
    private static final String UNKNOWN_TYPE = "Unknown message type: ";

    private LegacyErrors() {
    }

    static InboundError read(ErrorFrame f) {
        String details = f.details() == null ? "" : f.details();
        String keyHint = null;
        if ("PEER_NOT_FOUND".equals(f.errorType())) {
            Matcher m = PEER_NOT_FOUND.matcher(details);
            keyHint = m.matches() ? m.group(1) : null;
        }
        return new InboundError(f.errorType(), f.details(), null, kinds(f.errorType(), details), keyHint);
    }

    static Set<String> kinds(String errorType, String details) {
        switch (errorType) {
            case "CLIENT_ID_TAKEN":
            case "INVALID_PUBLIC_KEY":
            case "INVALID_PROOF":
                return Set.of(Register.TYPE);
            case "PEER_NOT_FOUND":
                return Set.of(RequestPublicKey.TYPE);
            case "REGISTRATION_REQUIRED":
                return details.contains("debug") ? Set.of(DebugQuestion.TYPE) : Set.of(SendMessage.TYPE);
            case "INVALID_MESSAGE":
                if (details.equals("Invalid message schema")) {
                    return Set.of(Register.TYPE);
                }
                if (details.equals("Missing required message fields")) {
                    return Set.of(SendMessage.TYPE);
                }
                if (details.equals("Missing target ID")) {
                    return Set.of(RequestPublicKey.TYPE);
                }
                if (details.startsWith(UNKNOWN_TYPE)) {
                    return Set.of(details.substring(UNKNOWN_TYPE.length()));
                }
                return Set.of();
            case "INTERNAL_ERROR":
                if (details.equals("Failed to complete registration")) {
                    return Set.of(Register.TYPE);
                }
                if (details.equals("Failed to retrieve peer list")) {
                    return Set.of(Discover.TYPE);
                }
                if (details.equals("Failed to retrieve public key")) {
                    return Set.of(RequestPublicKey.TYPE);
                }
                if (details.startsWith("Failed to route message") || details.startsWith("Failed to store")
                        || details.startsWith("Offline message limit reached")) {
                    return Set.of(SendMessage.TYPE);
                }
                return Set.of();
            default:
                return Set.of();
        }
    }
}
