package io.github.demosim.frame.l2ps;

import io.github.demosim.frame.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code encrypted} object of {@code send}, {@code message} and history entries: opaque to the server,
 * which relays it as sent. With ml-kem-aes (see {@code docs/crypto.md}) {@code ciphertext} is base64 of
 * AES-GCM body‖tag, {@code nonce} base64 of the 12-byte IV and {@code ephemeralKey} hex of the ML-KEM-768
 * ciphertext.
 *
 * @param ciphertext the ciphertext text
 * @param nonce the nonce text
 * @param ephemeralKey the optional ephemeral key text, or {@code null}
 * @param extra any other members, kept in order so they are relayed unchanged
 */
public record Encrypted(String ciphertext, String nonce, String ephemeralKey, Map<String, JsonValue> extra) {

    /**
     * Creates the object.
     *
     * @param ciphertext the ciphertext text
     * @param nonce the nonce text
     * @param ephemeralKey the optional ephemeral key text, or {@code null}
     * @param extra any other members; copied, order kept; must not name the three fields above
     */
    public Encrypted {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(nonce, "nonce");
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        for (String reserved : new String[] {"ciphertext", "nonce", "ephemeralKey"}) {
            if (extra.containsKey(reserved)) {
                throw new IllegalArgumentException("extra must not contain '" + reserved + "'");
            }
        }
    }

    /**
     * Creates the object without extra members.
     *
     * @param ciphertext the ciphertext text
     * @param nonce the nonce text
     * @param ephemeralKey the optional ephemeral key text, or {@code null}
     * @return the object
     */
    public static Encrypted of(String ciphertext, String nonce, String ephemeralKey) {
        return new Encrypted(ciphertext, nonce, ephemeralKey, Map.of());
    }
}
