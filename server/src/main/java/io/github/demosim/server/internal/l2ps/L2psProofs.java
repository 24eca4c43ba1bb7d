package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.internal.ServerCrypto;
import io.github.demosim.server.internal.json.JsHex;
import io.github.demosim.server.internal.store.MessageStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Checks the Ed25519 proofs of {@code register} and {@code history} (l2ps.md §5.2, §7.1). Reference mode
 * decodes hex leniently as the node does; hardened mode wants 64 hex characters of key and 128 of signature,
 * a timestamp within the window, and each proof only once.
 */
final class L2psProofs {

    /** The outcome of a signature check. */
    sealed interface Check {
    }

    /** The signature is valid. */
    record Valid() implements Check {
    }

    /** The signature does not verify. */
    record Invalid() implements Check {
    }

    /** The verifier could not run (bad lengths, not hex...): the reference's "Proof verification error". */
    record Broken(String detail) implements Check {
    }

    private final ServerCrypto crypto;
    private final MessageStore store;
    private final L2psRules rules;
    private final Duration window;
    private final LongSupplier clock;

    L2psProofs(ServerCrypto crypto, MessageStore store, L2psRules rules, Duration window, LongSupplier clock) {
        this.crypto = crypto;
        this.store = store;
        this.rules = rules;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Verifies the signature of a proof string.
     *
     * @param publicKey the signer's key, hex (already format-checked for register; the bound key for history)
     * @param proofMessage the proof string
     * @param proof the {@code proof} member
     * @return the outcome
     */
    Check verify(String publicKey, String proofMessage, JsonValue proof) {
        if (!(proof instanceof JsonValue.JsonString s)) {
            return new Broken("proof must be a hex string");
        }
        byte[] key;
        byte[] signature;
        if (rules.strictProofEncoding()) {
            key = JsHex.decodeStrict(publicKey);
            signature = JsHex.decodeStrict(s.value());
            if (key == null || key.length != 32) {
                return new Broken("public key must be 64 hex characters");
            }
            if (signature == null || signature.length != 64) {
                return new Broken("signature must be 128 hex characters (64 bytes)");
            }
        } else {
            key = JsHex.decodeLenient(publicKey);
            signature = JsHex.decodeLenient(s.value());
        }
        try {
            return crypto.verifyEd25519(key, proofMessage, signature) ? new Valid() : new Invalid();
        } catch (RuntimeException e) {
            return new Broken(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Hardened freshness: the frame timestamp must be an integer within the window around now.
     *
     * @param timestamp the frame's {@code timestamp} member, or {@code null}
     * @return an error text, or {@code null} if fresh
     */
    String staleness(JsonValue timestamp) {
        Long ts = integerMillis(timestamp);
        if (ts == null) {
            return "Proof timestamp missing or not an integer (ms since epoch)";
        }
        long skew = Math.abs(clock.getAsLong() - ts);
        if (skew > window.toMillis()) {
            return "Proof timestamp outside the accepted window (±" + window.toSeconds() + " s)";
        }
        return null;
    }

    /**
     * Answers a request whose proof timestamp is not fresh, where the rules want fresh proofs.
     *
     * @param r the request
     * @return {@code true} if it was refused (INVALID_PROOF sent)
     */
    boolean refusedAsStale(L2psRequest r) {
        String stale = rules.freshProofs() ? staleness(r.timestamp()) : null;
        if (stale != null) {
            r.error("INVALID_PROOF", stale);
        }
        return stale != null;
    }

    /**
     * Hardened replay guard: records the proof, unless it was used before.
     *
     * @param publicKey the signer
     * @param proofMessage the proof string
     * @param timestamp the frame timestamp (already checked fresh)
     * @return {@code true} on first use
     */
    boolean firstUse(String publicKey, String proofMessage, JsonValue timestamp) {
        Long ts = integerMillis(timestamp);
        long expiresAt = (ts == null ? clock.getAsLong() : ts) + window.toMillis() + 1;
        return store.recordProofUse(publicKey + '\n' + proofMessage, expiresAt);
    }

    private static Long integerMillis(JsonValue timestamp) {
        if (!(timestamp instanceof JsonValue.JsonNumber n)) {
            return null;
        }
        BigDecimal v = n.value();
        try {
            return v.stripTrailingZeros().scale() > 0 ? null : v.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
