package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SDK's SerializedEncryptedObject ({@code legacy-and-crypto.md} §B.6), the usual content of a legacy
 * {@code message}: {@code algorithm} {@code ml-kem-aes}, base64 of the 1088-byte KEM ciphertext and base64
 * of {@code iv ‖ body ‖ tag}.
 *
 * @param algorithm {@code ml-kem-aes}
 * @param serializedCipherText base64 of the ML-KEM-768 ciphertext, or {@code null}
 * @param serializedEncryptedData base64 of {@code iv(12) ‖ body ‖ tag(16)}
 */
public record EncryptedObject(String algorithm, String serializedCipherText, String serializedEncryptedData) {

    /**
     * Returns the JSON form, keys in the order the SDK writes them.
     *
     * @return the object
     */
    public JsonValue toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (algorithm != null) {
            m.put("algorithm", JsonValue.of(algorithm));
        }
        if (serializedCipherText != null) {
            m.put("serializedCipherText", JsonValue.of(serializedCipherText));
        }
        if (serializedEncryptedData != null) {
            m.put("serializedEncryptedData", JsonValue.of(serializedEncryptedData));
        }
        return new JsonValue.JsonObject(m);
    }

    /**
     * Reads the object from a relayed {@code message} value.
     *
     * @param json the value of the legacy {@code message} field
     * @return the object, or empty if {@code json} is not an object with string fields
     */
    public static Optional<EncryptedObject> fromJson(JsonValue json) {
        if (!(json instanceof JsonValue.JsonObject)) {
            return Optional.empty();
        }
        String alg = json.get("algorithm").flatMap(JsonValue::asString).orElse(null);
        String ct = json.get("serializedCipherText").flatMap(JsonValue::asString).orElse(null);
        String data = json.get("serializedEncryptedData").flatMap(JsonValue::asString).orElse(null);
        if (alg == null || data == null) {
            return Optional.empty();
        }
        return Optional.of(new EncryptedObject(alg, ct, data));
    }
}
