package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Server to client: the registered public key of an online client, echoed as registered.
 *
 * @param peerId the id asked about
 * @param publicKey the key exactly as it was registered (normally an array of 1184 numbers)
 * @param features extension of this project's hardened server: the client extensions the peer registered with, e.g.
 *     {@code envelope} (it reads signed envelopes); empty when none or when the server does not say
 */
public record PublicKeyResponse(
        String peerId,
        JsonValue publicKey,
        java.util.List<String> features) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "public_key_response";

    /**
     * Creates the frame.
     *
     * @param peerId the id asked about
     * @param publicKey the key as registered
     * @param features the peer's registered client extensions; {@code null} reads as empty
     */
    public PublicKeyResponse {
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }

    /**
     * Creates the frame as the reference server sends it, without client extensions.
     *
     * @param peerId the id asked about
     * @param publicKey the key as registered
     */
    public PublicKeyResponse(String peerId, JsonValue publicKey) {
        this(peerId, publicKey, java.util.List.of());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
