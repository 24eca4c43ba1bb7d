package io.github.demosim.internal.peer;

import java.util.function.Function;

/**
 * Signs L2PS proof strings ({@code register:<key>:<ts>}, {@code history:<peer>:<ts>}) with Ed25519 over their
 * UTF-8 bytes, returning hex ({@code l2ps.md} §5.2, checklist item 32).
 *
 * @param publicKeyHex the Ed25519 public key, 64 hex characters, exactly as it is registered
 * @param sign the signing function: proof string to hex signature
 */
public record Signer(String publicKeyHex, Function<String, String> sign) {

    /** Signs one proof string. */
    public String signHex(String proof) {
        String signature = sign.apply(proof);
        if (signature == null || signature.isEmpty()) {
            throw new IllegalStateException("The signing function returned no signature for '" + proof + "'");
        }
        return signature;
    }
}
